"""The normalised catalog of Vietnamese administrative procedures and the tools that build it."""
