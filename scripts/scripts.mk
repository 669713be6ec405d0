# Scripts: each scripts/<step>/<step>.mk adds its rules and appends phony
# targets to BENCH_STEPS (run by `make bench`) or EVAL_STEPS (`make eval`).
BENCH_STEPS :=
EVAL_STEPS :=
PY_DEB_PKGS := python3-numpy python3-scipy
-include $(wildcard scripts/*/*.mk)

bench: all $(BENCH_STEPS)
eval: all $(EVAL_STEPS)
