#!/usr/bin/env bash
# slurm_submit.sh LIST OUTDIR MANIFEST TASKS [PERCEPNET OPTION...]
#
# Submits a Slurm job array of at most TASKS tasks (one core each) that
# denoises the files of LIST (one path a line) into OUTDIR. The nodes must see
# the inputs, OUTDIR and MANIFEST under the same absolute paths (a shared file
# system whose locks work across hosts: NFSv4, or NFSv3 with lockd) and have
# percepnet on their PATH, or PERCEPNET set to its absolute path.
#
# Only the files that MANIFEST does not mark done are submitted (pending.sh),
# written to MANIFEST.pending.XXXXXX for the tasks to read; the tasks split
# them round-robin. After a killed task, a lost node or a cancelled job, run
# the same command again: it submits what is left. Nothing is submitted when
# nothing is left (exit 0).
#
# Environment: SBATCH_ARGS, more sbatch options (e.g. "--wait",
# "--partition=cpu --time=2:00:00"); PERCEPNET is passed to the tasks.
# Prints sbatch's output ("Submitted batch job N").
set -eu
if [ $# -lt 4 ]; then
  echo "usage: slurm_submit.sh LIST OUTDIR MANIFEST TASKS [PERCEPNET OPTION...]" >&2
  exit 1
fi
list=$1 out=$2 manifest=$3 tasks=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
pending=$(mktemp "$manifest.pending.XXXXXX")
"$here/pending.sh" "$list" "$manifest" > "$pending"
n=$(wc -l < "$pending")
echo "slurm_submit: $n file(s) pending" >&2
if [ "$n" -eq 0 ]; then
  rm -f "$pending"
  exit 0
fi
[ "$tasks" -le "$n" ] || tasks=$n
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
sbatch --array=0-$((tasks - 1)) ${SBATCH_ARGS:-} \
  "$here/slurm_array_task.sh" "$pending" "$out" "$manifest" "$@"
