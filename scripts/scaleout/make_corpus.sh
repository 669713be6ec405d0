#!/usr/bin/env bash
# make_corpus.sh DIR N MIN_S MAX_S - writes N noisy speech files into DIR, a
# mix of the formats and rates an archive holds, built with sox from the
# bundled test/data/demo_noisy.flac (3 s, repeated and started 0-0.99 s in, differently
# for each file), and prints their paths, one a line. File k has the
# k-th format of the cycle below and a length from MIN_S to MAX_S seconds
# (spread by Knuth's multiplicative hash of k, so the same arguments give
# the same corpus).
#
#   format                      share
#   WAV  8 kHz mono u-law       1/6  (telephone)
#   WAV 16 kHz mono 16-bit      1/6  (speech corpora)
#   FLAC 44.1 kHz stereo 16-bit 1/6  (music-rate recordings)
#   FLAC 48 kHz mono 24-bit     1/6  (field recorders)
#   Ogg Vorbis 22.05 kHz mono   1/6  (lossy archives)
#   WAV 32 kHz mono float       1/6  (edited material)
set -eu
if [ $# -ne 4 ]; then
  echo "usage: make_corpus.sh DIR N MIN_S MAX_S" >&2
  exit 1
fi
dir=$1 n=$2 min_s=$3 max_s=$4
src=$(cd "$(dirname "$0")/../.." && pwd)/test/data/demo_noisy.flac
mkdir -p "$dir"
span=$((max_s - min_s + 1))
for ((k = 0; k < n; k++)); do
  len=$((min_s + (k * 2654435761) % span))  # seconds
  offset=$(( (k * 37) % 100 ))             # start in the source, hundredths of a second
  reps=$(( len / 3 + 2 ))
  case $((k % 6)) in
    0) name=tel$k.wav; fmt=(-r 8000 -c 1 -e mu-law -b 8) ;;
    1) name=asr$k.wav; fmt=(-r 16000 -c 1 -e signed -b 16) ;;
    2) name=rec$k.flac; fmt=(-r 44100 -c 2 -b 16) ;;
    3) name=field$k.flac; fmt=(-r 48000 -c 1 -b 24) ;;
    4) name=lossy$k.ogg; fmt=(-r 22050 -c 1) ;;
    5) name=edit$k.wav; fmt=(-r 32000 -c 1 -e floating-point -b 32) ;;
  esac
  sox -D "$src" "${fmt[@]}" "$dir/$name" repeat "$reps" trim "0.$(printf %02d $offset)" "$len"
  echo "$dir/$name"
done
