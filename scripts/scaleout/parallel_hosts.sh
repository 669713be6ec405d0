#!/usr/bin/env bash
# parallel_hosts.sh LIST OUTDIR MANIFEST SSHLOGINS [PERCEPNET OPTION...]
#
# Denoises the files of LIST (one path a line) into OUTDIR with GNU parallel
# spread over the hosts of SSHLOGINS (parallel's --sshlogin list, e.g.
# "2/node1,2/node2" for two jobs at a time on each). Every host must see the
# inputs, OUTDIR and MANIFEST under the same absolute paths (a shared file
# system whose locks work across hosts: NFSv4, or NFSv3 with lockd) and have
# percepnet on its PATH, or PERCEPNET set to its absolute path.
#
# - Only the files MANIFEST does not mark done are sent (pending.sh): a rerun
#   after any stop continues where the last run ended.
# - Each job reads CHUNK paths (default 16) on its stdin (--files-from -),
#   runs with -n (an output under its final name is complete, so it is kept)
#   and appends a row per file to MANIFEST.
# - A job that dies (a killed worker, a lost host) is sent again, up to 3
#   times, to any host; the files it finished are skipped then.
#
# Environment: PERCEPNET (default percepnet), CHUNK (16), PARALLEL_SSH (the
# ssh command, default ssh), JOBLOG (parallel's --joblog file, default none).
# Exit status: parallel's (0 when every job ended with every file done).
set -eu
if [ $# -lt 4 ]; then
  echo "usage: parallel_hosts.sh LIST OUTDIR MANIFEST SSHLOGINS [PERCEPNET OPTION...]" >&2
  exit 1
fi
list=$1 out=$2 manifest=$3 logins=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
pending=$(mktemp)
trap 'rm -f "$pending"' EXIT
"$here/pending.sh" "$list" "$manifest" > "$pending"
echo "parallel_hosts: $(wc -l < "$pending") file(s) pending" >&2
[ -s "$pending" ] || exit 0
parallel --pipe -N "${CHUNK:-16}" --retries 3 --quote --sshlogin "$logins" \
  --ssh "${PARALLEL_SSH:-ssh}" ${JOBLOG:+--joblog "$JOBLOG"} \
  "${PERCEPNET:-percepnet}" -q -n -O "$out" --manifest "$manifest" "$@" --files-from - \
  < "$pending"
