# scripts/data/data.mk - the training data pipeline (scripts/data/README.md)
# in the data folder PERCEPNET_DATA:
#
#   make data-deps   install what fetch.sh, prepare.py and dump_all.sh use
#   make data        all three steps (restartable; hours on 2 cores)
#
# DATA_DEB_PKGS is what those scripts import and run (checked by
# test/repo/test_deps.py); libsox-fmt-all lets sox read every packaged format.
DATA_DEB_PKGS := python3 python3-numpy sox libsox-fmt-all ffmpeg git gcc
.PHONY: data-deps data
data-deps: deps
	$(call deb_install,data,$(DATA_DEB_PKGS))
data: data-deps
	scripts/data/fetch.sh --with-0ad $(PERCEPNET_DATA)
	$(PYTHON) -m scripts.data.prepare --data-dir $(PERCEPNET_DATA)
	scripts/data/dump_all.sh $(PERCEPNET_DATA)
