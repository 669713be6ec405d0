#!/bin/sh
# fetch.sh - download the Debian packages that hold training speech and noise
# and unpack them without root and without the dpkg lock
# (apt-get download + dpkg-deb -x).
#
#   scripts/data/fetch.sh [--with-0ad] [DATA_DIR]
#
# DATA_DIR defaults to $PERCEPNET_DATA, else data/ under the repository;
# packages land in DATA_DIR/debian/<pkg>/.
# Restartable: a package whose DATA_DIR/debian/<pkg>/.done exists is skipped.
# --with-0ad also fetches 0ad-data (1.4 GB: its ambience is the best real
# noise, but it is optional and comes last).
#
# Which clips of these packages may be used for training is decided by
# scripts/data/sources.py (some languages / folders are reserved for
# independent evaluation and are never read by prepare.py).
set -eu

WITH_0AD=0
if [ "${1:-}" = "--with-0ad" ]; then WITH_0AD=1; shift; fi
DATA_DIR=${1:-${PERCEPNET_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/data}}
DEB_DIR="$DATA_DIR/debian"
mkdir -p "$DEB_DIR/archives"

# Small packages worth most first, so a first dataset never waits for a big one.
PKGS="fillets-ng-data-cs
asterisk-core-sounds-en-g722
asterisk-core-sounds-es-g722
asterisk-core-sounds-fr-g722
asterisk-core-sounds-it-g722
klettres-data
ktuberling-data
sonic-pi-samples
torcs-data
colobot-common-sounds
tuxpaint-stamps-default
hedgewars-data
supertuxkart-data
megaglest-data"
if [ "$WITH_0AD" = 1 ]; then PKGS="$PKGS
0ad-data"; fi

n=$(echo "$PKGS" | wc -l)
i=0
for p in $PKGS; do
  i=$((i + 1))
  if [ -f "$DEB_DIR/$p/.done" ]; then
    echo "[$i/$n] $p: already unpacked" >&2
    continue
  fi
  if ! apt-cache policy "$p" | grep -q 'Candidate: [0-9]'; then
    echo "[$i/$n] $p: not in the package lists (run apt-get update?), skipped" >&2
    continue
  fi
  echo "[$i/$n] $p: downloading" >&2
  (cd "$DEB_DIR/archives" && ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p")
  deb=$(ls "$DEB_DIR/archives/${p}"_*.deb | head -n 1)
  echo "[$i/$n] $p: unpacking $(du -h "$deb" | cut -f1)" >&2
  rm -rf "$DEB_DIR/$p"
  mkdir -p "$DEB_DIR/$p"
  dpkg-deb -x "$deb" "$DEB_DIR/$p"
  touch "$DEB_DIR/$p/.done"
done
echo "fetch: done ($DEB_DIR)" >&2
