#!/usr/bin/env bash
# Build and install Citus 13.2.2 into the PostgreSQL whose pg_config is on
# PATH (or named by $PG_CONFIG).
#
# Why this exists: the scale-out tests run the extension on a Citus cluster,
# but Debian ships no Citus package and Citus's own package repository is not
# reachable from the build machines, so Citus is compiled from the source
# tarball kept next to the repository (../shared/citus). PostgreSQL 15.20's
# headers clash with a compatibility shim in Citus 13.2.2, so a small patch
# kept beside the tarball is applied before building.
#
# The build takes several minutes; when the same Citus version is already
# installed for this PostgreSQL the script says so and exits at once, so it
# is safe to call before every test run.
#
# Usage: bash test/citus/build.sh        (as root, or with sudo available)
# Environment: PG_CONFIG, CITUS_TARBALL, CITUS_PATCH, FORCE=1 (rebuild anyway)
set -euo pipefail

CITUS_VERSION=13.2.2
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
shared_dir="$repo_root/../shared/citus"
tarball=${CITUS_TARBALL:-$shared_dir/citus-$CITUS_VERSION.tar.gz}
patch_file=${CITUS_PATCH:-$shared_dir/pg15.20-have_createdb_privilege.patch}
PG_CONFIG=${PG_CONFIG:-pg_config}

start=$(date +%s)
elapsed() { echo "$(( $(date +%s) - start ))s"; }
die() { echo "build.sh: $*" >&2; exit 1; }

command -v "$PG_CONFIG" >/dev/null 2>&1 || die "pg_config not found (set PG_CONFIG or put it on PATH)"
PG_CONFIG=$(command -v "$PG_CONFIG")
pg_version=$("$PG_CONFIG" --version)
pkglibdir=$("$PG_CONFIG" --pkglibdir)
sharedir=$("$PG_CONFIG" --sharedir)

# PGXS's install rules use a make variable called DATA; an environment
# variable of that name overrides it and makes "make install" copy the wrong
# files, so drop it for everything below.
unset DATA

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "must run as root (or have sudo) to install into $pkglibdir"
  SUDO=sudo
fi

# Already installed? The library carries its version string ("Citus 13.2.2
# on ..."), and the control file names the SQL version it installs; both
# must match what this tarball would install, and the SQL scripts for that
# version must be there.
installed_ok() {
  local so="$pkglibdir/citus.so" ctl="$sharedir/extension/citus.control"
  [ -f "$so" ] && [ -f "$ctl" ] || return 1
  grep -qa "Citus $CITUS_VERSION on " "$so" || return 1
  local dv
  dv=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$ctl")
  # Citus 13.2.x installs SQL version 13.2-1, reached from an old base
  # script through a chain of upgrade scripts ending in citus--...--13.2-1.sql.
  [ "$dv" = "13.2-1" ] || return 1
  compgen -G "$sharedir/extension/citus--*--$dv.sql" >/dev/null
}

if [ "${FORCE:-0}" != 1 ] && installed_ok; then
  echo "build.sh: Citus $CITUS_VERSION already installed for $pg_version ($pkglibdir/citus.so); nothing to do ($(elapsed))"
  exit 0
fi

[ -f "$tarball" ] || die "Citus source tarball not found: $tarball
  (expected citus-$CITUS_VERSION.tar.gz in the shared/citus directory next to the repository)"
[ -f "$patch_file" ] || die "patch not found: $patch_file"

# Build dependencies (Debian). The server headers must match the server's
# minor release; tools/deps.sh takes care of that, here we only make sure
# they are present.
pg_major=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
deps=(build-essential patch "postgresql-server-dev-$pg_major" libkrb5-dev liblz4-dev libzstd-dev libcurl4-openssl-dev)
missing=()
for p in "${deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing build dependencies and no apt-get: ${missing[*]}"
  echo "build.sh: installing build dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Try with the current package lists first; refresh them once if that fails.
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/citus-build.XXXXXX")
trap 'rm -rf "$workdir"' EXIT

echo "build.sh: building Citus $CITUS_VERSION for $pg_version in $workdir"
tar -xzf "$tarball" -C "$workdir"
src="$workdir/citus-$CITUS_VERSION"
[ -d "$src" ] || die "tarball did not contain citus-$CITUS_VERSION/"
(cd "$src" && patch -p1 --forward < "$patch_file")

cd "$src"
./configure PG_CONFIG="$PG_CONFIG" > "$workdir/configure.log" 2>&1 \
  || { tail -40 "$workdir/configure.log" >&2; die "configure failed"; }
make -j2 > "$workdir/make.log" 2>&1 \
  || { grep -m20 -E 'error|Error' "$workdir/make.log" >&2; tail -20 "$workdir/make.log" >&2; die "make failed"; }
$SUDO make install > "$workdir/install.log" 2>&1 \
  || { tail -40 "$workdir/install.log" >&2; die "make install failed"; }

installed_ok || die "installed files do not look like Citus $CITUS_VERSION (check $pkglibdir/citus.so and $sharedir/extension/citus.control)"
echo "build.sh: installed Citus $CITUS_VERSION into $pkglibdir for $pg_version in $(elapsed)"
