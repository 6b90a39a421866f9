"""Benchmarks for async_probe: ``python -m bench [--quick]`` writes bench/RESULTS.md."""
