"""Command-line tool benchmarks (make bench-cli-*)."""
