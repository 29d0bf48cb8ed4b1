"""Benchmarks a user runs by hand (`python -m bench.NAME`); the tests only smoke-test them."""
