"""The project's Python: data preparation, training, export, evaluation,
benchmarks and listening pages, one sub-package per area. Run a program as a
module from the repository root (`/usr/bin/python3 -m scripts.train.train
...`); imports between areas are absolute (`from scripts.export import
quant`). The one Python program that is an executable file is
scripts/listening-page."""
