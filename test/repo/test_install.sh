#!/usr/bin/env bash
# make install / make uninstall into a temporary PREFIX: the binary, the man
# page, libpercepnet.a, the shared library with its versioned soname and
# links, percepnet.h and percepnet.pc are installed; a small program built
# against the installed copy with `pkg-config --cflags --libs percepnet`
# (shared) and with the static library denoises frames; make uninstall
# removes exactly those files and leaves the prefix's other files alone.
set -u
cd "$(dirname "$0")/../.." || exit 1
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
CC=${CC:-cc}
version=$(sed -n 's/^VERSION := //p' Makefile)
major=${version%%.*}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/usr
mkdir -p "$prefix/lib" "$prefix/include"
# a file of another package in the same folders: uninstall must keep it
echo other >"$prefix/include/other.h"
echo other >"$prefix/lib/libother.so.1"

expected="bin/percepnet
include/percepnet.h
lib/libpercepnet.a
lib/libpercepnet.so
lib/libpercepnet.so.$major
lib/libpercepnet.so.$version
lib/pkgconfig/percepnet.pc
share/man/man1/percepnet.1"
if ! make -s --no-print-directory install PREFIX="$prefix" >"$tmp/log" 2>&1; then
  nok "make install PREFIX=..." "$(tail -n 3 "$tmp/log")"
  exit 1
fi
got=$(cd "$prefix" && find . \( -type f -o -type l \) ! -name other.h ! -name libother.so.1 |
  sed 's|^\./||' | sort)
if [ "$got" = "$expected" ]; then ok "make install: binary, man page, static and shared library, header, .pc"
else nok "make install: binary, man page, static and shared library, header, .pc" "$(echo $got)"; fi

soname=$(readelf -d "$prefix/lib/libpercepnet.so.$version" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
link=$(readlink "$prefix/lib/libpercepnet.so")
if [ "$soname" = "libpercepnet.so.$major" ] && [ "$link" = "libpercepnet.so.$major" ] &&
   [ "$(readlink "$prefix/lib/libpercepnet.so.$major")" = "libpercepnet.so.$version" ]; then
  ok "shared library soname libpercepnet.so.$major, development link and soname link"
else nok "shared library soname libpercepnet.so.$major, development link and soname link" \
  "soname '$soname', libpercepnet.so -> '$link'"; fi
exported=$(nm -D --defined-only "$prefix/lib/libpercepnet.so.$version" | awk '{print $3}' | sort)
declared=$(grep -o 'percepnet_[a-z0-9_]*(' lib/percepnet.h | tr -d '(' | sort -u)
if [ -n "$exported" ] && [ "$exported" = "$declared" ]; then
  ok "the shared library exports exactly the functions of percepnet.h ($(echo "$exported" | wc -l))"
else nok "the shared library exports exactly the functions of percepnet.h" \
  "$(comm -3 <(echo "$exported") <(echo "$declared") | tr -s ' \t\n' ' ')"; fi

cat >"$tmp/prog.c" <<'EOF'
/* Denoises 100 frames of a seeded noise and prints the output energy. */
#include <percepnet.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  float in[PERCEPNET_FRAME_SIZE], out[PERCEPNET_FRAME_SIZE];
  double e_in = 0.0, e_out = 0.0;
  unsigned s = 1;
  int err = 0, f, i;
  PercepnetState *st = percepnet_create(percepnet_model_default(), &err);
  if (!st) { printf("create: %s\n", percepnet_strerror(err)); return 1; }
  for (f = 0; f < 100; f++) {
    for (i = 0; i < PERCEPNET_FRAME_SIZE; i++) {
      s = s * 1103515245u + 12345u;
      in[i] = 0.05f * ((float)(s >> 8) / 8388608.0f - 1.0f);
      e_in += (double)in[i] * in[i];
    }
    if (percepnet_process(st, out, in) != PERCEPNET_OK) return 1;
    for (i = 0; i < PERCEPNET_FRAME_SIZE; i++) e_out += (double)out[i] * out[i];
  }
  percepnet_destroy(st);
  printf("%s %s\n", percepnet_version(), e_out < 0.5 * e_in ? "attenuated" : "not attenuated");
  return 0;
}
EOF
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if ! flags=$(pkg-config --cflags --libs percepnet 2>"$tmp/pc.err"); then
  nok "pkg-config --cflags --libs percepnet" "$(head -n 1 "$tmp/pc.err")"
elif [ "$(pkg-config --modversion percepnet)" != "$version" ]; then
  nok "pkg-config --modversion percepnet" "$(pkg-config --modversion percepnet), expected $version"
else
  ok "pkg-config --cflags --libs percepnet: $flags"
  # shellcheck disable=SC2086
  if $CC -std=c11 -Wall -Wextra -Werror ${EXTRA_CFLAGS:-} "$tmp/prog.c" $flags -o "$tmp/prog_shared" 2>"$tmp/cc.err"; then
    needed=$(readelf -d "$tmp/prog_shared" | sed -n 's/.*NEEDED.*\[\(libpercepnet[^]]*\)\]/\1/p')
    res=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/prog_shared" 2>&1)
    if [ "$needed" = "libpercepnet.so.$major" ] && [ "$res" = "$version attenuated" ]; then
      ok "a program built with pkg-config against the installed shared library runs ($res)"
    else nok "a program built with pkg-config against the installed shared library runs" \
      "NEEDED '$needed', output '$res'"; fi
  else nok "a program builds with pkg-config against the installed copy" "$(head -n 3 "$tmp/cc.err")"; fi
  # static: the archive itself plus the private libraries the .pc lists
  # shellcheck disable=SC2046
  if $CC -std=c11 -Wall -Wextra -Werror ${EXTRA_CFLAGS:-} $(pkg-config --cflags percepnet) "$tmp/prog.c" \
       "$prefix/lib/libpercepnet.a" $(pkg-config --libs-only-l --static percepnet | sed 's/-lpercepnet//') \
       -o "$tmp/prog_static" 2>"$tmp/cc.err"; then
    res=$("$tmp/prog_static" 2>&1)
    if ! readelf -d "$tmp/prog_static" | grep -q 'NEEDED.*libpercepnet' && [ "$res" = "$version attenuated" ]; then
      ok "a program linked with the installed libpercepnet.a runs ($res)"
    else nok "a program linked with the installed libpercepnet.a runs" "output '$res'"; fi
  else nok "a program links with the installed libpercepnet.a" "$(head -n 3 "$tmp/cc.err")"; fi
fi

if ! make -s --no-print-directory uninstall PREFIX="$prefix" >"$tmp/log" 2>&1; then
  nok "make uninstall PREFIX=..." "$(tail -n 3 "$tmp/log")"
  exit 1
fi
left=$(cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort | tr '\n' ' ')
if [ "$left" = "include/other.h lib/libother.so.1 " ]; then
  ok "make uninstall removes exactly what make install added"
else nok "make uninstall removes exactly what make install added" "left: $left"; fi
