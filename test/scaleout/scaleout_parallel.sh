#!/usr/bin/env bash
# scaleout_parallel.sh - the GNU parallel recipe (scripts/scaleout/parallel_hosts.sh)
# over two "hosts": one sshd started here on a high loopback port (temporary
# host key, a temporary key authorised for root), reached as h1 = 127.0.0.1
# and h2 = 127.0.0.2. One worker is killed with SIGKILL mid-run; the outputs
# must equal a one-machine run's, byte for byte. Needs root (sshd, root login).
set -u
. "$(dirname "$0")/common.sh"
work=$(mktemp -d /tmp/percepnet-parallel.XXXXXX)
sshd_pid=
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
  [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT

make_corpus "$work" 24 2 10
check "corpus: 24 files of 6 formats and rates" "$(wc -l < "$work/list.txt")" \
  test "$(wc -l < "$work/list.txt")" -eq 24
t0=$(date +%s.%N)
reference "$work"
check "one-machine reference run" "exit $?" test -d "$work/ref"
t1=$(date +%s.%N)

# ---- loopback sshd
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/user_key"
cp "$work/user_key.pub" "$work/authorized_keys"
port=$((30000 + $$ % 20000))
cat > "$work/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
HostKey $work/host_key
AuthorizedKeysFile $work/authorized_keys
PidFile $work/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CONF
cat > "$work/ssh_config" <<CONF
Host h1
  HostName 127.0.0.1
Host h2
  HostName 127.0.0.2
Host *
  Port $port
  User root
  IdentityFile $work/user_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  BatchMode yes
  LogLevel ERROR
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$work/sshd_config" -D -e 2> "$work/sshd.log" &
sshd_pid=$!
for ((t = 0; t < 100; t++)); do
  ssh -F "$work/ssh_config" h2 true 2>/dev/null && break
  sleep 0.1
done
check "loopback sshd answers on port $port as h1 and h2" "$(tail -3 "$work/sshd.log")" \
  sh -c "ssh -F '$work/ssh_config' h1 true && ssh -F '$work/ssh_config' h2 true"

# ---- the recipe, one worker killed mid-run
pid_wrapper "$work"
mkdir "$work/out"
t2=$(date +%s.%N)
PERCEPNET=$work/percepnet-pid CHUNK=6 PARALLEL_SSH="ssh -F $work/ssh_config" \
  JOBLOG=$work/joblog \
  "$SCALEOUT/parallel_hosts.sh" "$work/list.txt" "$work/out" "$work/run.tsv" 1/h1,1/h2 \
  2> "$work/recipe.err" &
recipe=$!
killed=$(kill_one_worker "$work" "$work/run.tsv" 4)
wait "$recipe"
rc=$?
t3=$(date +%s.%N)
check "a worker killed mid-run (pid ${killed:-none})" "no live worker found" test -n "$killed"
check "the recipe ends with exit 0 after retrying the killed job" \
  "exit $rc: $(tail -3 "$work/recipe.err")" test "$rc" -eq 0
jobs=$(( ($(wc -l < "$work/list.txt") + 5) / 6 ))
check "the killed job was sent again ($jobs jobs, $(wc -l < "$work/pids") worker processes)" \
  "$(cat "$work/pids" | tr '\n' ' ')" test "$(wc -l < "$work/pids")" -eq $((jobs + 1))
hosts=$(awk -F '\t' 'NR > 1 { print $2 }' "$work/joblog" | sort -u | tr '\n' ' ')
check "jobs ran on both hosts" "hosts: $hosts" test "$hosts" = "h1 h2 "
temps=$(find "$work/out" -name '.*' -type f | wc -l)
echo "# temporary files left by the killed worker: $temps (removed)"
find "$work/out" -name '.*' -type f -delete
compare "$work" "$work/out" "$work/run.tsv"

# ---- a rerun finds nothing pending and adds no row
before=$(wc -l < "$work/run.tsv")
PARALLEL_SSH="ssh -F $work/ssh_config" PERCEPNET=$BIN \
  "$SCALEOUT/parallel_hosts.sh" "$work/list.txt" "$work/out" "$work/run.tsv" 1/h1,1/h2 \
  2> "$work/rerun.err"
check "a rerun sends nothing (the manifest marks all done)" "$(cat "$work/rerun.err")" \
  sh -c "grep -q '0 file(s) pending' '$work/rerun.err' && test $(wc -l < "$work/run.tsv") -eq $before"

secs=$(awk -F '\t' 'NR > 1 { s += $4 } END { printf "%.1f", s }' "$work/ref.tsv")
audio=$(cd "$work/corpus" && soxi -D * 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }')
echo "# corpus: $(wc -l < "$work/list.txt") files, $audio s of audio"
echo "# one machine, one process: $(echo "$t1 - $t0" | bc) s wall"
echo "# parallel over h1+h2 (1 job each, one worker killed and retried): $(echo "$t3 - $t2" | bc) s wall"
finish
