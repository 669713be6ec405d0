#!/usr/bin/env bash
# scaleout_slurm.sh - the Slurm recipe (scripts/scaleout/slurm_submit.sh) on a
# one-node cluster started here: munged with a fresh key on its own socket,
# slurmctld and slurmd on high loopback ports from a generated slurm.conf, all
# state under a temporary folder. A job array of 3 tasks runs; one task's
# worker is killed with SIGKILL; submitting again runs what the manifest does
# not mark done; the outputs must equal a one-machine run's. Needs root.
set -u
. "$(dirname "$0")/common.sh"
work=$(mktemp -d /tmp/percepnet-slurm.XXXXXX)
chmod 755 "$work"
stop_daemons() {
  local f
  for f in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  sleep 1
}
cleanup() {
  stop_daemons
  [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT

make_corpus "$work" 24 2 10
reference "$work"
check "one-machine reference run" "exit $?" test -d "$work/ref"

# ---- a one-node cluster
mkdir -p "$work/munge" "$work/state" "$work/spool"
mungekey -c -k "$work/munge/munge.key" -b 1024
munged -f --key-file="$work/munge/munge.key" --socket="$work/munge/sock" \
  --pid-file="$work/munge/pid" --log-file="$work/munge/log" --seed-file="$work/munge/seed"
port=$((30000 + $$ % 20000))
host=$(hostname)
cat > "$work/slurm.conf" <<CONF
ClusterName=pntest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=pnnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=pn Nodes=pnnode Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N pnnode
for ((t = 0; t < 300; t++)); do
  sinfo -h -o %T 2>/dev/null | grep -qx idle && break
  sleep 0.1
done
check "one-node cluster up (slurmctld, slurmd, munged on ports $port-$((port + 1)))" \
  "$(sinfo 2>&1 | tail -1); $(tail -2 "$work/slurmctld.log")" \
  sh -c "sinfo -h -o %T | grep -qx idle"

# ---- the job array; one task's worker killed
pid_wrapper "$work"
mkdir "$work/out"
t0=$(date +%s.%N)
PERCEPNET=$work/percepnet-pid SBATCH_ARGS="--wait --output=$work/task-%A_%a.log" \
  "$SCALEOUT/slurm_submit.sh" "$work/list.txt" "$work/out" "$work/run.tsv" 3 \
  > "$work/submit1.out" 2> "$work/submit1.err" &
submit=$!
killed=$(kill_one_worker "$work" "$work/run.tsv" 4)
wait "$submit"
rc=$?
check "a task's worker killed mid-run (pid ${killed:-none})" "no live worker found" test -n "$killed"
check "the array ends with that task failed (sbatch --wait exit $rc)" \
  "$(cat "$work/submit1.err")" test "$rc" -ne 0
left=$("$SCALEOUT/pending.sh" "$work/list.txt" "$work/run.tsv" | wc -l)
check "the manifest leaves $left of 24 files pending" "" test "$left" -gt 0 -a "$left" -lt 24
PERCEPNET=$BIN SBATCH_ARGS="--wait --output=$work/task-%A_%a.log" \
  "$SCALEOUT/slurm_submit.sh" "$work/list.txt" "$work/out" "$work/run.tsv" 3 \
  > "$work/submit2.out" 2> "$work/submit2.err"
rc=$?
t1=$(date +%s.%N)
check "submitting again runs only those $left files and ends with exit 0" \
  "exit $rc: $(cat "$work/submit2.err")" \
  sh -c "test $rc -eq 0 && grep -q '^slurm_submit: $left file(s) pending' '$work/submit2.err'"
skipped=$(awk -F '\t' 'NR > 1 && $3 == "skipped"' "$work/run.tsv" | wc -l)
echo "# rows: $(done_rows "$work/run.tsv") done, $skipped skipped"
temps=$(find "$work/out" -name '.*' -type f | wc -l)
echo "# temporary files left by the killed worker: $temps (removed)"
find "$work/out" -name '.*' -type f -delete
compare "$work" "$work/out" "$work/run.tsv"
PERCEPNET=$BIN "$SCALEOUT/slurm_submit.sh" "$work/list.txt" "$work/out" "$work/run.tsv" 3 \
  > "$work/submit3.out" 2> "$work/submit3.err"
check "a third submission submits nothing" "$(cat "$work/submit3.out" "$work/submit3.err")" \
  sh -c "grep -q '0 file(s) pending' '$work/submit3.err' && ! grep -q Submitted '$work/submit3.out'"
echo "# job arrays: $(echo "$t1 - $t0" | bc) s wall for both submissions (3 tasks on 2 CPUs)"
finish
