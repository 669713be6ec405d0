# common.sh - sourced by the scale-out tests: TAP helpers, a corpus, the
# one-machine reference run and the comparison with it. Not a test itself.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=$ROOT/percepnet
SCALEOUT=$ROOT/scripts/scaleout
failures=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; failures=$((failures + 1)); }
# check NAME REASON COMMAND...: ok when COMMAND succeeds
check() {
  local name=$1 why=$2
  shift 2
  if "$@"; then ok "$name"; else not_ok "$name" "$why"; fi
}

# make_corpus WORK N MIN_S MAX_S: WORK/corpus/ and its list WORK/list.txt
make_corpus() {
  "$SCALEOUT/make_corpus.sh" "$1/corpus" "$2" "$3" "$4" > "$1/list.txt"
}

# reference WORK: the one-machine run into WORK/ref with WORK/ref.tsv
reference() {
  mkdir -p "$1/ref"
  "$BIN" -q -O "$1/ref" --manifest "$1/ref.tsv" --files-from "$1/list.txt"
}

# pid_wrapper WORK: WORK/percepnet-pid, percepnet logging each process id
# to WORK/pids first, so that a test can kill one worker by its id
pid_wrapper() {
  printf '#!/bin/sh\necho $$ >> %s/pids\nexec %s "$@"\n' "$1" "$BIN" > "$1/percepnet-pid"
  chmod +x "$1/percepnet-pid"
  : > "$1/pids"
}

# done_rows MANIFEST: how many rows say done
done_rows() {
  [ -f "$1" ] && awk -F '\t' 'NR > 1 && $3 == "done"' "$1" | wc -l || echo 0
}

# kill_one_worker WORK MANIFEST MIN_DONE: waits (at most 120 s) until MANIFEST
# has MIN_DONE done rows, then SIGKILLs the newest live process of WORK/pids;
# prints its id (nothing when none was caught)
kill_one_worker() {
  local work=$1 manifest=$2 min_done=$3 t pid
  for ((t = 0; t < 12000; t++)); do
    if [ "$(done_rows "$manifest")" -ge "$min_done" ]; then
      for pid in $(tac "$work/pids"); do
        if kill -0 "$pid" 2>/dev/null; then
          kill -KILL "$pid" && echo "$pid"
          return 0
        fi
      done
    fi
    sleep 0.01
  done
}

# run_differs REF OUT: 0 when the two files differ only as any two runs of
# one machine make them differ: libsndfile writes a timestamp into the PEAK
# chunk of float WAV and a random serial number into each Ogg stream
run_differs() {
  case "$(soxi -t "$1" 2>/dev/null):$(soxi -e "$1" 2>/dev/null)" in
    vorbis:* | wav:Floating*) return 0 ;;
  esac
  return 1
}

# compare WORK OUTDIR MANIFEST: the TAP lines comparing a distributed run with
# the reference (same files, same bytes, one done row per input, same PCM MD5)
compare() {
  local work=$1 out=$2 manifest=$3 n bad same=0 timed=0
  n=$(wc -l < "$work/list.txt")
  bad=
  for f in $(cd "$work/ref" && ls); do
    if cmp -s "$work/ref/$f" "$out/$f"; then
      same=$((same + 1))
    elif [ -f "$out/$f" ] && run_differs "$work/ref/$f"; then
      timed=$((timed + 1))
    else
      bad="$bad $f"
    fi
  done
  check "outputs byte-identical to the one-machine run: $same files; $timed float WAV and Ogg differ only in the PEAK timestamp / stream serial (as between any two runs)" \
    "differ:$bad" test -z "$bad"
  check "no other file under a final name" "$(ls "$out")" \
    test "$(ls "$out" | wc -l)" -eq "$n"
  bad=$(awk -F '\t' 'NR > 1 && $3 == "done" { c[$1]++ } END { for (k in c) if (c[k] != 1) print k }' \
        "$manifest")
  check "one done row per input" "$bad" test -z "$bad" -a "$(done_rows "$manifest")" -eq "$n"
  bad=$(awk -F '\t' 'FNR > 1 && $3 == "done" { if (FILENAME == ref) md5[$1] = $6;
          else if (md5[$1] != $6) print $1 }' ref="$work/ref.tsv" "$work/ref.tsv" "$manifest")
  check "pcm_md5 of every output equals the one-machine run's ($n files)" "$bad" test -z "$bad"
}

finish() {
  [ "$failures" -eq 0 ]
}
