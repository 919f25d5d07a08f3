"""Benchmark scripts: they print figures (JSON on the last line); no timed tests."""
