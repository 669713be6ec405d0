#!/usr/bin/env bash
# test_dump.sh - percepnet-dump on a tiny synthetic corpus: reproducible with
# one seed (also when split with --first), different with another seed, the
# row count promised by its JSON, targets in [0, 1] or -1, band limits
# honoured, noise-only sequences without speech, bad options refused.
# --features: the default 70 keeps the rows of the dumps made before the SNR
# features byte for byte (an MD5 recorded with the tool of that time); 104
# adds the 34 SNR columns after them, the targets shifted and unchanged.
set -u
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
DUMP=${PERCEPNET_TEST_BUILD:-build/native}/percepnet-dump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }

if [ ! -x "$DUMP" ]; then nok "dump tool built" "$DUMP missing (make dump-tool)"; exit 1; fi
"$PY" test/dump/make_corpus.py "$T" || { nok "test corpus" "make_corpus.py failed"; exit 1; }
# more clean-only and noise-only sequences than by default, so both occur
run() { "$DUMP" --speech "$T/speech_train" --noise "$T/noise_train" --frames 300 \
  --p-clean 0.15 --p-noise-only 0.2 "$@" 2>"$T/log"; }

run --seed 7 --sequences 16 --out "$T/a.f32" || { nok "dump runs" "$(tail -n 3 "$T/log")"; exit 1; }
ok "dump runs"
run --seed 7 --sequences 16 --out "$T/b.f32"
if cmp -s "$T/a.f32" "$T/b.f32"; then ok "same seed, same rows"; else nok "same seed, same rows" "files differ"; fi
run --seed 7 --sequences 6 --first 10 --out "$T/c.f32"
if cmp -s "$T/c.f32" <(tail -c $((6 * 300 * 139 * 4)) "$T/a.f32"); then ok "split with --first reproduces"
else nok "split with --first reproduces" "sequences 10..15 differ"; fi
# The rows of this command as the tool made them before the SNR features
# (and --features 70 now): a change here changes every existing dump
# command's rows. The value depends on make_corpus.py's numpy and on libm, like
# the CLI's MD5s; record a new one only for a deliberate change, and say why.
want_md5=a9f18c02e95b4ff183ed8f4adbf821bf
got_md5=$(md5sum "$T/a.f32" | cut -d' ' -f1)
if [ "$got_md5" = "$want_md5" ]; then ok "default rows as before the SNR features (MD5)"
else nok "default rows as before the SNR features (MD5)" "got $got_md5 want $want_md5"; fi
run --seed 7 --sequences 16 --features 70 --out "$T/f70.f32"
if cmp -s "$T/a.f32" "$T/f70.f32"; then ok "--features 70 is the default"
else nok "--features 70 is the default" "rows differ"; fi
run --seed 7 --sequences 16 --features 104 --out "$T/f104.f32" \
  || nok "--features 104 runs" "$(tail -n 3 "$T/log")"
if run --seed 7 --sequences 1 --features 69 --out "$T/f69.f32"; then
  nok "--features other than 70 or 104 refused" "exit 0"
else ok "--features other than 70 or 104 refused"; fi
run --seed 8 --sequences 16 --out "$T/d.f32"
if cmp -s "$T/a.f32" "$T/d.f32"; then nok "other seed, other rows" "identical"; else ok "other seed, other rows"; fi
if "$DUMP" --speech "$T/speech_train" --noise "$T/noise_train" --out "$T/e.f32" --frames 0 2>/dev/null; then
  nok "bad option refused" "--frames 0 accepted"; else ok "bad option refused"; fi
if "$DUMP" --speech "$T/missing" --noise none --out "$T/e.f32" 2>/dev/null; then
  nok "missing corpus refused" "exit 0"; else ok "missing corpus refused"; fi
# --p-clip 1: every sequence is driven 1-6 dB over full scale and clipped
run --seed 9 --sequences 6 --p-clip 1 --out "$T/k.f32"
if awk -F'\t' 'NR > 1 && ($9 == 0 || $5 < 1 || $5 > 6) { bad = 1 } END { exit bad }' "$T/k.seq.tsv"; then
  ok "clipping drives the peak 1-6 dB over full scale"
else nok "clipping drives the peak 1-6 dB over full scale" "$(cut -f5,9 "$T/k.seq.tsv" | tr '\n' ' ')"; fi
# --p-coloured 1: every noise (and every second noise) is coloured noise (kind bit 4)
run --seed 9 --sequences 8 --p-coloured 1 --out "$T/col.f32"
if awk -F'\t' 'NR > 1 && $2 != 1 && $3 != 4 { bad = 1 } END { exit bad }' "$T/col.seq.tsv"; then
  ok "--p-coloured 1: coloured noise only"
else nok "--p-coloured 1: coloured noise only" "$(cut -f2,3 "$T/col.seq.tsv" | tr '\n' ' ')"; fi
# --p-modulated 1: every coloured noise swings, and the .seq.tsv says so (bit 32)
run --seed 9 --sequences 8 --p-coloured 1 --p-modulated 1 --out "$T/mod.f32"
if awk -F'\t' 'NR > 1 && $2 != 1 && $3 != 36 { bad = 1 } NR > 1 && $3 == 36 { n++ } END { exit bad || !n }' "$T/mod.seq.tsv"; then
  ok "--p-modulated 1: noise kind 4 | 32 in the .seq.tsv"
else nok "--p-modulated 1: noise kind 4 | 32 in the .seq.tsv" "$(cut -f2,3 "$T/mod.seq.tsv" | tr '\n' ' ')"; fi
# --p-babble 1: every noise (and every second noise) is babble (kind bit 2);
# with --p-coloured 0.5 as well, babble and coloured noise only, both drawn
run --seed 9 --sequences 8 --p-babble 1 --out "$T/bab.f32"
if awk -F'\t' 'NR > 1 && $2 != 1 && $3 != 2 { bad = 1 } NR > 1 && $3 == 2 { n++ } END { exit bad || !n }' "$T/bab.seq.tsv" &&
   grep -q '"p_babble": 1,' "$T/bab.json"; then
  ok "--p-babble 1: babble only, p_babble 1 in the .json"
else nok "--p-babble 1: babble only, p_babble 1 in the .json" "$(cut -f2,3 "$T/bab.seq.tsv" | tr '\n' ' ')"; fi
run --seed 9 --sequences 24 --p-coloured 0.5 --p-babble 0.5 --out "$T/bc.f32"
if awk -F'\t' 'NR > 1 && $2 != 1 && $3 != 2 && $3 != 4 && $3 != 6 { bad = 1 }
     NR > 1 && ($3 == 2 || $3 == 6) { b++ } NR > 1 && ($3 == 4 || $3 == 6) { c++ }
     END { exit bad || !b || !c }' "$T/bc.seq.tsv"; then
  ok "--p-coloured 0.5 --p-babble 0.5: babble and coloured noise only"
else nok "--p-coloured 0.5 --p-babble 0.5: babble and coloured noise only" "$(cut -f2,3 "$T/bc.seq.tsv" | tr '\n' ' ')"; fi
if run --seed 9 --sequences 1 --p-coloured 0.6 --p-babble 0.6 --out "$T/bc2.f32"; then
  nok "--p-coloured + --p-babble over 1 refused" "exit 0"; else ok "--p-coloured + --p-babble over 1 refused"; fi
if run --seed 9 --sequences 1 --p-coloured 1.5 --out "$T/col2.f32"; then
  nok "--p-coloured out of range refused" "exit 0"; else ok "--p-coloured out of range refused"; fi
# --rumble-floor-hz: 5 is the default (same rows); 0.1 moves the floors of
# the coloured noises (other rows); below 0.01 Hz is refused
run --seed 9 --sequences 8 --p-coloured 1 --rumble-floor-hz 5 --out "$T/rf5.f32"
if cmp -s "$T/col.f32" "$T/rf5.f32"; then ok "--rumble-floor-hz 5 is the default"
else nok "--rumble-floor-hz 5 is the default" "rows differ"; fi
run --seed 9 --sequences 8 --p-coloured 1 --rumble-floor-hz 0.1 --out "$T/rf01.f32"
if ! cmp -s "$T/col.f32" "$T/rf01.f32"; then ok "--rumble-floor-hz 0.1 changes the noise"
else nok "--rumble-floor-hz 0.1 changes the noise" "rows identical"; fi
if run --seed 9 --sequences 1 --rumble-floor-hz 0.001 --out "$T/rf2.f32"; then
  nok "--rumble-floor-hz out of range refused" "exit 0"; else ok "--rumble-floor-hz out of range refused"; fi
# --p-hold: 0 draws nothing (rows as without it); 1 holds a vowel in many
# sequences with speech (hold_s, the last column of the .seq.tsv; the test
# corpus glides in pitch, so fewer of its frames qualify than of real speech)
run --seed 7 --sequences 16 --p-hold 0 --out "$T/h0.f32"
if cmp -s "$T/a.f32" "$T/h0.f32"; then ok "--p-hold 0 changes nothing"
else nok "--p-hold 0 changes nothing" "rows differ"; fi
run --seed 7 --sequences 16 --p-hold 1 --out "$T/h1.f32"
if awk -F'\t' 'NR > 1 && $2 != 2 { n++; if ($NF > 0.25) h++ } END { exit !(n > 0 && h >= n / 3) }' \
    "$T/h1.seq.tsv" && ! cmp -s "$T/a.f32" "$T/h1.f32"; then
  ok "--p-hold 1: vowels held in sequences with speech"
else nok "--p-hold 1: vowels held in sequences with speech" "$(cut -f2,15 "$T/h1.seq.tsv" | tr '\n' ' ')"; fi
"$DUMP" --speech "$T/speech_val" --noise none --frames 200 --sequences 4 --out "$T/g.f32" 2>"$T/log" \
  && ok "generated noise only" || nok "generated noise only" "$(tail -n 2 "$T/log")"
# rooms: clean-only reverberated speech keeps its room in the target unless
# --p-dereverb asks for the direct path; --p-noise-tail 1 ends every talker
# 2-6 s early (the vad may follow a room's tail for up to 1.2 s)
room() { "$DUMP" --speech "$T/speech_train" --noise "$T/noise_train" --frames 600 --seed 3 \
  --sequences 6 --p-clean 1 --p-noise-only 0 --p-reverb 1 --p-clip 0 "$@" 2>"$T/log"; }
room --p-dereverb 0 --out "$T/keep.f32" && room --p-dereverb 1 --out "$T/dry.f32" \
  && "$DUMP" --speech "$T/speech_train" --noise "$T/noise_train" --frames 700 --seed 4 \
       --sequences 8 --p-clean 0 --p-noise-only 0 --p-noise-tail 1 --out "$T/tail.f32" 2>"$T/log" \
  || nok "room and tail dumps" "$(tail -n 2 "$T/log")"

"$PY" - "$T" <<'PYEOF'
import json, sys
import numpy as np
T = sys.argv[1]
meta = json.load(open(T + "/a.json"))
x = np.fromfile(T + "/a.f32", "<f4")
row = meta["row_floats"]
def check(cond, name, why):
    print(("ok - %s" % name) if cond else ("not ok - %s: %s" % (name, why)))
check(row == 139 and meta["nb_features"] == 70 and meta["layout"]["features"] == [0, 70]
      and x.size == meta["sequences"] * meta["frames_per_sequence"] * row
      and meta["rows"] == meta["sequences"] * meta["frames_per_sequence"],
      "row count matches json", "%d floats, json %s" % (x.size, meta))
x = x.reshape(meta["sequences"], meta["frames_per_sequence"], row)
L = meta["layout"]
f = x[..., L["features"][0]:L["features"][1]]
g = x[..., L["gains"][0]:L["gains"][1]]
s = x[..., L["strengths"][0]:L["strengths"][1]]
v = x[..., L["vad"][0]]
check(np.all(np.isfinite(x)), "all values finite", "non-finite values")
for name, a in (("gains", g), ("strengths", s), ("vad", v)):
    bad = ~((a == -1) | ((a >= 0) & (a <= 1)))
    check(not bad.any(), name + " in [0, 1] or -1", "%d bad, e.g. %s" % (bad.sum(), a[bad][:5]))
check(np.all((s == -1) == (g == -1)), "strength don't-care follows gain", "masks differ")
check(0.05 < np.mean(g[g >= 0]) < 0.95, "gains not constant", "mean %.3f" % np.mean(g[g >= 0]))
seqs = [l.rstrip("\n").split("\t") for l in open(T + "/a.seq.tsv")][1:]
bl = np.array([float(q[5]) for q in seqs])
kind = np.array([int(q[1]) for q in seqs])
low = np.nonzero(bl <= 8000)[0]
wide = np.nonzero(bl >= 16000)[0]
# ERB band 33 (the top one) is centred far above 8 kHz: always don't care there
check(len(low) > 0 and np.all(g[low][..., -1] == -1),
      "bands above the band limit are don't care", "band limits %s" % bl)
check(len(wide) > 0 and np.mean(g[wide][..., 20] != -1) > 0.5,
      "bands below the band limit carry targets", "band limits %s" % bl)
noise_only = np.nonzero(kind == 2)[0]
speech = np.nonzero(kind != 2)[0]
check(len(noise_only) > 0 and np.all(v[noise_only] <= 0) and np.mean(v[speech] == 1) > 0.2,
      "vad: none in noise-only sequences, some in speech", "kinds %s" % kind)

# --features 104: the same rows with the 34 SNR features after the 70
m104 = json.load(open(T + "/f104.json"))
y = np.fromfile(T + "/f104.f32", "<f4")
L4 = m104["layout"]
check(m104["row_floats"] == 173 and m104["nb_features"] == 104 and L4["features"] == [0, 104]
      and L4["gains"] == [104, 138] and L4["strengths"] == [138, 172] and L4["vad"] == [172, 173]
      and y.size == x.size // 139 * 173,
      "--features 104: json says 173 floats, 104 features, targets from 104",
      "json %s, %d floats" % ({k: m104[k] for k in ("row_floats", "nb_features", "layout")}, y.size))
y = y.reshape(x.shape[0], x.shape[1], 173)
check(np.array_equal(y[..., :70], x[..., :70]) and np.array_equal(y[..., 104:], x[..., 70:]),
      "--features 104: features 0..69 and the targets as in the 70-feature rows", "differ")
snr = y[..., 70:104]
speechy, quiet = snr[v == 1], snr[v == 0]
check(np.all(np.isfinite(snr)) and snr.min() >= -8 and snr.max() <= 8
      and speechy.mean() > quiet.mean() + 0.2 and abs(float(np.median(quiet))) < 0.2,
      "--features 104: SNR features in [-8, 8], higher in speech than in noise, ~0 in noise",
      "range %.2f..%.2f, speech %.3f, noise %.3f (median %.3f)"
      % (snr.min(), snr.max(), speechy.mean(), quiet.mean(), np.median(quiet)))

def rows(name, frames):
    return np.fromfile("%s/%s.f32" % (T, name), "<f4").reshape(-1, frames, 139)
keep, dry = rows("keep", 600)[..., 70:104], rows("dry", 600)[..., 70:104]
# (16-bit quantisation of some inputs may lower a quiet band's gain a little)
check(np.median(keep[keep >= 0]) > 0.999 and np.mean(keep[keep >= 0] < 0.7) < 0.005,
      "reverberant clean input keeps its room: gains 1",
      "median %.4f, %.4f below 0.7" % (np.median(keep[keep >= 0]), np.mean(keep[keep >= 0] < 0.7)))
check(np.mean(dry[dry >= 0] < 0.7) > 0.05,
      "--p-dereverb 1: the room's tail is a target to remove",
      "%.3f of gains below 0.7" % np.mean(dry[dry >= 0] < 0.7))
tail = rows("tail", 700)
tail_tsv = [l.rstrip("\n").split("\t") for l in open(T + "/tail.seq.tsv")]
tails = [float(q[tail_tsv[0].index("tail_s")]) for q in tail_tsv[1:]]
ends = [np.all(tail[i, 700 - int(ts * 100) + 130:, 138] <= 0) for i, ts in enumerate(tails)]
check(min(tails) >= 1.0 and all(ends),
      "--p-noise-tail 1: every talker stops early, no vad in the tail",
      "tails %s, vad-free ends %s" % (tails, ends))
PYEOF
