"""The PyTorch model, its training and its throughput benchmark."""
