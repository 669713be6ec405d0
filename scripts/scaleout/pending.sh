#!/usr/bin/env bash
# pending.sh LIST [MANIFEST...] - prints the paths of LIST (one a line, as
# --files-from reads it) that have no "done" row in any of the manifests: what
# is left of a corpus after earlier runs. A missing manifest counts as empty.
# Paths are compared in the manifest's escaped form (\\, \t, \n, \r).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: pending.sh LIST [MANIFEST...]" >&2
  exit 1
fi
list=$1
shift
manifests=()
for m in "$@"; do
  [ -e "$m" ] && manifests+=("$m")
done
# the manifests first (FNR == NR within each, marked by the header row), then the list
awk -F '\t' '
  function escaped(s,    out, i, c) {
    if (!index(s, "\\") && !index(s, "\t") && !index(s, "\r")) return s
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      out = out (c == "\\" ? "\\\\" : c == "\t" ? "\\t" : c == "\r" ? "\\r" : c)
    }
    return out
  }
  FILENAME != list {
    if (FNR > 1 && $3 == "done") done[$1] = 1
    next
  }
  {
    sub(/\r$/, "")
    if ($0 == "") next
    if (!(escaped($0) in done)) print $0
  }
' list="$list" ${manifests[@]+"${manifests[@]}"} "$list"
