"""Benchmarks and the generator of realistic test entries."""
