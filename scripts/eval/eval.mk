# scripts/eval/eval.mk - `make eval`: quality of percepnet, of its oracle and
# of the arnndn peer (Debian's ffmpeg + ../shared/peers/sh.rnnn) on the
# held-out evaluation set, table in build/eval/results.md.
#
# On a fresh machine the validation split is made first with the data
# pipeline's own entry points (scripts/data/fetch.sh, scripts/data/prepare.py).
# EVAL_DATA_DIR=DIR evaluates with the data under DIR; EVAL_ARGS passes
# options to scripts/eval/run_eval.py (e.g. EVAL_ARGS="--model m.pnm").
.PHONY: eval-quality

EVAL_DATA_DIR ?= $(PERCEPNET_DATA)
EVAL_VALSET := $(EVAL_DATA_DIR)/eval/valset
EVAL_ARGS ?=
# what the evaluation scripts import and run (on top of the data pipeline's
# DATA_DEB_PKGS, for a fresh machine); checked by test/repo/test_deps.py
EVAL_DEB_PKGS := python3 python3-numpy python3-scipy ffmpeg
EVAL_STEPS += eval-quality

.PHONY: eval-deps
eval-deps: data-deps
	$(call deb_install,evaluation,$(EVAL_DEB_PKGS))

eval-quality: percepnet eval-deps
	@if [ ! -f $(EVAL_DATA_DIR)/prepared/speech_val.f32 ] || \
	    [ ! -f $(EVAL_DATA_DIR)/prepared/noise_val.f32 ]; then \
	  echo "eval: no prepared validation split in $(EVAL_DATA_DIR)/prepared: preparing the data"; \
	  scripts/data/fetch.sh --with-0ad $(EVAL_DATA_DIR) && \
	  $(PYTHON) scripts/data/prepare.py --data-dir $(EVAL_DATA_DIR); \
	fi
	$(PYTHON) scripts/eval/build_valset.py --prepared $(EVAL_DATA_DIR)/prepared --out $(EVAL_VALSET)
	$(PYTHON) scripts/eval/run_eval.py --valset $(EVAL_VALSET) --out $(BUILD)/eval \
	  --markdown $(BUILD)/eval/results.md --json $(BUILD)/eval/results.json $(EVAL_ARGS)
