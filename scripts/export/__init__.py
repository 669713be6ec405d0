"""Model file export: the file format, the int8 rule, the exporter."""
