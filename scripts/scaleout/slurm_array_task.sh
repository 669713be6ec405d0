#!/usr/bin/env bash
#SBATCH --job-name=percepnet
#SBATCH --cpus-per-task=1
# slurm_array_task.sh PENDING OUTDIR MANIFEST [PERCEPNET OPTION...] - one task
# of a Slurm job array (submitted by slurm_submit.sh): task k of n takes lines
# k+1, k+1+n, k+1+2n, ... of PENDING and runs percepnet on them with -n (an
# output under its final name is complete, so it is kept), appending a row per
# file to MANIFEST. Exit status: percepnet's (0 all done, 2 a file failed).
set -eu -o pipefail
pending=$1 out=$2 manifest=$3
shift 3
n=${SLURM_ARRAY_TASK_COUNT:?run as a task of a job array}
k=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))
awk -v n="$n" -v k="$k" '(NR - 1) % n == k' "$pending" |
  "${PERCEPNET:-percepnet}" -q -n -O "$out" --manifest "$manifest" "$@" --files-from -
