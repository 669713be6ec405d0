# test/scaleout/scaleout.mk - `make test-scaleout`: the scale-out recipes of
# scripts/scaleout/ run for real (GNU parallel over loopback ssh, a Slurm job
# array on a one-node cluster), each with a killed worker and outputs checked
# against a one-machine run. Too slow for `make test`; needs root (sshd for
# root, the Slurm and munge daemons). `make bench-scaleout`: throughput on a
# mix of formats and rates (scripts/scaleout/bench_throughput.sh).
#
# What the recipes and their tests run (checked by test/repo/test_deps.py).
SCALEOUT_DEB_PKGS := parallel openssh-client openssh-server slurm-client slurmctld slurmd \
  munge sox bc valgrind
SCALEOUT_TESTS := test/scaleout/scaleout_parallel.sh test/scaleout/scaleout_slurm.sh

.PHONY: test-scaleout bench-scaleout scaleout-deps
scaleout-deps: deps
	$(call deb_install,scale-out,$(SCALEOUT_DEB_PKGS))
test-scaleout: all test-deps scaleout-deps
	@test/run_tests.sh $(SCALEOUT_TESTS)
bench-scaleout: all scaleout-deps
	scripts/scaleout/bench_throughput.sh $(BENCH_SCALEOUT_ARGS)
