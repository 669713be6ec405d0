#!/usr/bin/env bash
# fresh_machine.sh - the README's two commands on a fresh Debian system: a
# minimal bookworm root made by debootstrap from this machine's own apt
# sources, given only what a user needs to get and build the code (make, git
# and ca-certificates), a clone of this repository's HEAD, then `make demo`
# and `make test` inside it with chroot, as root, every other package
# installed by the targets themselves. Needs root; about 2 GB of disk;
# network access to the Debian archive.
#
#   test/repo/fresh_machine.sh [ROOT_DIR]   (default ${TMPDIR:-/var/tmp}/percepnet-fresh-root;
#   not under build/, whose .d files the Makefile reads)
#
# Prints TAP lines (ok / not ok) for: the root is made, `make demo` exits 0
# and writes its output, `make test` exits 0 with "N passed, 0 failed". The
# logs are ROOT_DIR.*.log. A root from an earlier run is reused (its packages
# installed by the targets stay, so a rerun checks less): remove it for a
# true first run.
set -u
cd "$(dirname "$0")/../.." || exit 1
REPO=$PWD
ROOT=${1:-${TMPDIR:-/var/tmp}/percepnet-fresh-root}
mkdir -p "$ROOT"
ROOT=$(cd "$ROOT" && pwd)
fail=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1${2:+: $2}"; fail=1; }

# the archive this machine installs from (first deb822 or one-line source)
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
         grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' \
                             /etc/apt/sources.list 2>/dev/null)
if [ -z "$mirror" ]; then
  nok "fresh root" "no Debian archive found in this machine's apt sources"
  exit 1
fi
if [ ! -x "$ROOT/usr/bin/make" ]; then
  if debootstrap --variant=minbase --include=make,git,ca-certificates bookworm "$ROOT" "$mirror" \
      >"$ROOT.debootstrap.log" 2>&1; then
    ok "fresh root: debootstrap bookworm (minbase + make, git, ca-certificates)"
  else
    nok "fresh root: debootstrap" "$(tail -n 3 "$ROOT.debootstrap.log")"
    exit 1
  fi
else
  ok "fresh root: reused $ROOT"
fi
# this machine's network set-up, not part of what is tested: name servers,
# the certificate authorities it adds to the system's (a proxy's, say) and
# the environment variables that point programs at them
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" update-ca-certificates >/dev/null 2>&1
fi
net_env=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY NODE_EXTRA_CA_CERTS \
         SSL_CERT_FILE SSL_CERT_DIR; do
  [ -n "${!v:-}" ] && net_env+=("$v=${!v}")
done
# the same archive inside, with its security and updates suites
cp /etc/apt/sources.list.d/*.sources "$ROOT/etc/apt/sources.list.d/" 2>/dev/null
rm -f "$ROOT/etc/apt/sources.list.d/"*disabled* 2>/dev/null
mounts=()
bind() { mkdir -p "$ROOT$1" && mount --bind "$1" "$ROOT$1" && mounts=("$ROOT$1" "${mounts[@]}"); }
cleanup() { for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null; done; }
trap cleanup EXIT
bind /proc
bind /sys
bind /dev
bind /dev/pts
mkdir -p "$ROOT/dev/shm" && mount -t tmpfs tmpfs "$ROOT/dev/shm" && mounts=("$ROOT/dev/shm" "${mounts[@]}")

rm -rf "$ROOT/opt/percepnet"
git clone -q --no-hardlinks "$REPO" "$ROOT/opt/percepnet"
in_root() { chroot "$ROOT" /usr/bin/env -i HOME=/opt PATH=/usr/sbin:/usr/bin:/sbin:/bin \
              LANG=C.UTF-8 TERM=dumb "${net_env[@]}" bash -c "cd /opt/percepnet && $1"; }

in_root "make demo" >"$ROOT.demo.log" 2>&1
rc=$?
if [ "$rc" = 0 ] && ls "$ROOT"/opt/percepnet/build/demo/* >/dev/null 2>&1; then
  ok "make demo on the fresh root"
else
  nok "make demo on the fresh root" "exit $rc: $(tail -n 2 "$ROOT.demo.log" | tr '\n' ' ')"
fi
in_root "make test" >"$ROOT.test.log" 2>&1
rc=$?
last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$ROOT.test.log" | tail -n 1)
if [ "$rc" = 0 ] && [ -n "$last" ] && [ "${last#* passed, }" = "0 failed" ]; then
  ok "make test on the fresh root: $last"
else
  nok "make test on the fresh root" "exit $rc, '$last': $(grep '^not ok' "$ROOT.test.log" | head -n 5 | tr '\n' ' ')"
fi
exit $fail
