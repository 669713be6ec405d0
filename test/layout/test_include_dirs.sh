#!/usr/bin/env bash
# Include directions (README "Layout"): lib/dsp and lib/nnet include only
# their own headers (never the public percepnet.h nor each other), weights/
# only lib/nnet's, cli/ only its own and percepnet.h, the public header no
# project header. Checked twice:
#  1. on the sources: every quoted #include must resolve inside the folders
#     its file may use (the checker is first run on a planted bad tree, so a
#     checker that finds nothing fails);
#  2. by the compiler with the include flags the Makefile gives each folder
#     (make print-inc DIR=...): a probe in lib/dsp or lib/nnet that includes the
#     public header or the other folder's header must not compile, one that
#     includes its own folder's header must.
set -u
cd "$(dirname "$0")/../.." || exit 1
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# allowed DIR FILE: the folders whose headers FILE (under DIR) may include
allowed() {
  case "$2" in
    lib/dsp/*) echo "lib/dsp" ;;
    lib/nnet/kernels/*) echo "lib/nnet/kernels lib/nnet" ;;
    lib/nnet/*) echo "lib/nnet" ;;
    lib/percepnet.h) echo "" ;;
    lib/*) echo "lib lib/dsp lib/nnet" ;;
    weights/*) echo "lib/nnet" ;;
    cli/*) echo "cli PUBLIC" ;;
  esac
}

# check_tree ROOT: prints one line per include pointing the wrong way
check_tree() {
  local root=$1 f inc dirs d ok
  (cd "$root" && find lib cli weights -name '*.[ch]' 2>/dev/null | sort) | while read -r f; do
    dirs=$(allowed "$root" "$f")
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$root/$f" |
      while read -r inc; do
        ok=0
        for d in $dirs; do
          if [ "$d" = PUBLIC ]; then [ "$inc" = percepnet.h ] && ok=1
          elif [ -f "$root/$d/$inc" ]; then ok=1; fi
        done
        [ "$ok" = 1 ] || echo "$f includes \"$inc\""
      done
  done
}

# 1. the checker on a planted bad tree: three wrong-way includes
mkdir -p "$tmp/bad/lib/dsp" "$tmp/bad/lib/nnet" "$tmp/bad/cli"
printf '/* public */\n' > "$tmp/bad/lib/percepnet.h"
printf '/* internal */\n' > "$tmp/bad/lib/chain_fixed.h"
printf '/* dsp */\n' > "$tmp/bad/lib/dsp/stft.h"
printf '/* nnet */\n' > "$tmp/bad/lib/nnet/pn_net.h"
printf '#include "stft.h"\n#include "percepnet.h"\n' > "$tmp/bad/lib/dsp/a.c"
printf '#include "pn_net.h"\n#include "stft.h"\n' > "$tmp/bad/lib/nnet/b.c"
printf '#include "percepnet.h"\n#include "chain_fixed.h"\n' > "$tmp/bad/cli/c.c"
found=$(check_tree "$tmp/bad")
if [ "$(printf '%s\n' "$found" | grep -c .)" = 3 ]; then
  echo "ok - the include checker finds planted wrong-way includes (3 of 3)"
else
  echo "not ok - the include checker finds planted wrong-way includes: got '$found'"
fi

# 1. the real tree
found=$(check_tree .)
if [ -z "$found" ]; then
  echo "ok - every quoted include in lib/, weights/ and cli/ points the allowed way"
else
  printf '%s\n' "$found" | sed 's/^/not ok - include points the wrong way: /'
fi

# 2. the compiler with the Makefile's per-folder flags
mkdir -p "$tmp/src"
find lib -name '*.h' -print0 | tar --null -T - -cf - | tar -xf - -C "$tmp/src"
probe() { # probe DIR HEADER EXPECT(0 compiles, 1 refused)
  local dir=$1 hdr=$2 expect=$3 inc rc
  inc=$(make -s --no-print-directory print-inc DIR="$dir" 2>/dev/null) ||
    { echo "not ok - make print-inc DIR=$dir failed"; return; }
  printf '#include "%s"\nint pn_probe(void);\nint pn_probe(void) { return 0; }\n' "$hdr" > "$tmp/src/$dir/probe.c"
  # shellcheck disable=SC2086 # inc holds several flags
  (cd "$tmp/src" && $CC -std=c11 -fsyntax-only -I/usr/include/kissfft $inc "$dir/probe.c") >/dev/null 2>&1
  rc=$?
  rm -f "$tmp/src/$dir/probe.c"
  if [ "$expect" = 0 ] && [ "$rc" = 0 ]; then echo "ok - $dir compiles an include of its own $hdr"
  elif [ "$expect" = 1 ] && [ "$rc" != 0 ]; then echo "ok - $dir's build refuses an include of $hdr"
  elif [ "$expect" = 0 ]; then echo "not ok - $dir cannot include its own $hdr"
  else echo "not ok - $dir's build accepts an include of $hdr"; fi
}
probe lib/dsp stft.h 0
probe lib/dsp percepnet.h 1
probe lib/dsp pn_net.h 1
probe lib/nnet pn_net.h 0
probe lib/nnet percepnet.h 1
probe lib/nnet stft.h 1
probe lib percepnet.h 0
probe lib pn_net.h 0
