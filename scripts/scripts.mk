# Scripts: each scripts/<step>/<step>.mk adds its rules and appends phony
# targets to BENCH_STEPS (run by `make bench`) or EVAL_STEPS (`make eval`).
# Every benchmark step installs BENCH_DEB_PKGS first, every evaluation step
# its EVAL_DEB_PKGS (test/repo/test_deps.py checks the lists).
BENCH_STEPS :=
EVAL_STEPS :=
BENCH_DEB_PKGS := python3 python3-numpy python3-torch libopenblas0-pthread sox valgrind
.PHONY: bench-deps
bench-deps: deps
	$(call deb_install,benchmark,$(BENCH_DEB_PKGS))
-include $(wildcard scripts/*/*.mk)
$(BENCH_STEPS): bench-deps
$(EVAL_STEPS): eval-deps

bench: all $(BENCH_STEPS)
eval: all $(EVAL_STEPS)
