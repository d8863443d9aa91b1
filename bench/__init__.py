"""Benchmarks: each script says how to run it; their figures are in docs/benchmarks.md."""
