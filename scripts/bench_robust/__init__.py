"""Long-input benchmark of the command-line tool (make bench)."""
