#!/usr/bin/env bash
# Bit-exactness of the whole chain: the CLI's --md5 of the output PCM on the
# bundled corpus (test/data) under several options must equal the values in
# test/cli/md5_reference.tsv. A change that alters any output sample fails
# here; a deliberate change of the output records new values (and says why in
# its commit message): `test/cli/test_cli_md5.sh --record` rewrites the file
# with the current binary's values. PERCEPNET_TEST_BIN overrides the binary
# (default ./percepnet).
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${PERCEPNET_TEST_BIN:-./percepnet}
REF=test/cli/md5_reference.tsv
if [ ! -x "$BIN" ]; then
  echo "not ok - CLI output MD5s: $BIN not built"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
record=0
[ "${1:-}" = "--record" ] && record=1
n=0
while IFS=$'\t' read -r name want args; do
  case "$name" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  # shellcheck disable=SC2086 # args are words by design
  got=$("$BIN" -q -f --md5 $args -o "$tmp/out" 2>"$tmp/err" | tail -n 1 | cut -d' ' -f1)
  if [ "$record" = 1 ]; then
    printf '%s\t%s\t%s\n' "$name" "$got" "$args" >>"$tmp/new.tsv"
  elif [ "$got" = "$want" ]; then
    echo "ok - output MD5 unchanged: $name"
  else
    echo "not ok - output MD5 changed: $name: got '${got}' want $want ($(head -n 1 "$tmp/err"))"
  fi
  rm -f "$tmp/out"
done < <(grep -v '^#' "$REF")
if [ "$record" = 1 ]; then
  { grep '^#' "$REF"; cat "$tmp/new.tsv"; } >"$REF.tmp" && mv "$REF.tmp" "$REF"
  echo "recorded $n cases in $REF"
  exit 0
fi
[ "$n" -gt 0 ] || echo "not ok - CLI output MD5s: no case in $REF"
