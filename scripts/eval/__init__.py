"""Evaluation: the validation set, metrics, reports, diagnosis, ablation."""
