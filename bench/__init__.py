"""Performance benchmarks (`make bench`); see BENCHMARKS.md."""
