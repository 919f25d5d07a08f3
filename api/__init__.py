"""The catalog API: procedures, statistics and search over the normalised catalog."""
