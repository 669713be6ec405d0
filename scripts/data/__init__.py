"""Training data: the corpus catalogue, clip measures and preparation."""
