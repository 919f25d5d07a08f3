"""Deployment profiles beyond the one-machine default (scale-out: PostgreSQL, Redis, nginx)."""
