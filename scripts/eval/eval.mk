# scripts/eval/eval.mk - `make eval`: quality of percepnet, of its oracle and
# of the arnndn peer (Debian's ffmpeg + ../shared/peers/sh.rnnn) on the
# held-out evaluation set, report in build/eval/results.md (it opens with
# the set's content hash: two reports with the same hash scored the same files).
#
#   make eval           the report (scripts/eval/run_eval.py)
#   make diagnose       model against oracle per band and SNR: gain and comb
#                       strength errors, VAD accuracy (build/diagnose/diagnose.md)
#   make ablation       postfilter, comb, decay limit, pre-roll each off, model
#                       and oracle (build/ablation/ablation.md)
#   make check-erased   speech under loud river noise kept, clean and 30 dB
#                       input and a held vowel untouched (check_erased.py; TAP
#                       lines; `make test` runs it on the built-in model
#                       through test/eval/test_check_erased.sh)
#
# On a fresh machine the validation split is made first with the data
# pipeline's own entry points (scripts/data/fetch.sh, scripts/data/prepare.py).
# EVAL_DATA_DIR=DIR evaluates with the data under DIR (default: data/ in this
# repository); EVAL_JOBS processes (default 2); EVAL_ARGS, DIAGNOSE_ARGS,
# ABLATION_ARGS pass options to the scripts (e.g. EVAL_ARGS="--model m.pnm",
# ABLATION_ARGS="--limit 8").
.PHONY: eval-valset eval-quality diagnose ablation check-erased

EVAL_DATA_DIR ?= $(PERCEPNET_DATA)
EVAL_VALSET := $(EVAL_DATA_DIR)/eval/valset
EVAL_JOBS ?= 2
EVAL_ARGS ?=
DIAGNOSE_ARGS ?=
ABLATION_ARGS ?=
# what the evaluation scripts import and run (on top of the data pipeline's
# DATA_DEB_PKGS, for a fresh machine); checked by test/repo/test_deps.py
EVAL_DEB_PKGS := python3 python3-numpy python3-scipy ffmpeg sox
EVAL_STEPS += eval-quality

.PHONY: eval-deps
eval-deps: data-deps
	$(call deb_install,evaluation,$(EVAL_DEB_PKGS))

# builds (or checks and keeps) the evaluation set; prints its content hash
eval-valset: eval-deps
	@if [ ! -f $(EVAL_DATA_DIR)/prepared/speech_val.f32 ] || \
	    [ ! -f $(EVAL_DATA_DIR)/prepared/noise_val.f32 ]; then \
	  echo "eval: no prepared validation split in $(EVAL_DATA_DIR)/prepared: preparing the data"; \
	  scripts/data/fetch.sh --with-0ad $(EVAL_DATA_DIR) && \
	  $(PYTHON) -m scripts.data.prepare --data-dir $(EVAL_DATA_DIR); \
	fi
	$(PYTHON) -m scripts.eval.build_valset --prepared $(EVAL_DATA_DIR)/prepared \
	  --out $(EVAL_VALSET) --jobs $(EVAL_JOBS)

eval-quality: percepnet eval-valset
	$(PYTHON) -m scripts.eval.run_eval --valset $(EVAL_VALSET) --out $(BUILD)/eval \
	  --jobs $(EVAL_JOBS) --markdown $(BUILD)/eval/results.md \
	  --json $(BUILD)/eval/results.json $(EVAL_ARGS)

diagnose: percepnet eval-valset
	$(PYTHON) -m scripts.eval.diagnose --valset $(EVAL_VALSET) --out $(BUILD)/diagnose \
	  --jobs $(EVAL_JOBS) --markdown $(BUILD)/diagnose/diagnose.md $(DIAGNOSE_ARGS)

ablation: percepnet eval-valset
	$(PYTHON) -m scripts.eval.ablate --valset $(EVAL_VALSET) --out $(BUILD)/ablation \
	  --jobs $(EVAL_JOBS) --markdown $(BUILD)/ablation/ablation.md $(ABLATION_ARGS)

check-erased: percepnet eval-deps
	$(PYTHON) -m scripts.eval.check_erased
