# test/scaleout/scaleout.mk - `make test-scaleout`: the scale-out recipes of
# scripts/scaleout/ run for real (GNU parallel over loopback ssh, a Slurm job
# array on a one-node cluster), each with a killed worker and outputs checked
# against a one-machine run. Too slow for `make test`; needs root (sshd for
# root, the Slurm and munge daemons). `make bench-scaleout`: throughput on a
# mix of formats and rates (scripts/scaleout/bench_throughput.sh).
#
# The Debian packages come from the commands the scripts run, as
# command:package pairs; only the packages of missing commands are installed.
SCALEOUT_TOOLS := parallel:parallel ssh:openssh-client ssh-keygen:openssh-client \
  /usr/sbin/sshd:openssh-server sbatch:slurm-client sinfo:slurm-client \
  /usr/sbin/slurmctld:slurmctld /usr/sbin/slurmd:slurmd /usr/sbin/munged:munge \
  /usr/sbin/mungekey:munge sox:sox soxi:sox bc:bc valgrind:valgrind
SCALEOUT_MISSING = $(sort $(foreach t,$(SCALEOUT_TOOLS),$(if $(shell command -v \
  $(word 1,$(subst :, ,$(t))) 2>/dev/null),,$(word 2,$(subst :, ,$(t))))))
SCALEOUT_TESTS := test/scaleout/scaleout_parallel.sh test/scaleout/scaleout_slurm.sh

.PHONY: test-scaleout bench-scaleout scaleout-deps
scaleout-deps:
	@missing="$(SCALEOUT_MISSING)"; if [ -n "$$missing" ]; then \
	  echo "installing scale-out test dependencies: $$missing"; \
	  $(call apt_install,--no-install-recommends $$missing); fi
test-scaleout: all $(BUILD)/.test-deps scaleout-deps
	@test/run_tests.sh $(SCALEOUT_TESTS)
bench-scaleout: all scaleout-deps
	scripts/scaleout/bench_throughput.sh $(BENCH_SCALEOUT_ARGS)
