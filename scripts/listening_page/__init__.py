"""The listening page behind scripts/listening-page."""
