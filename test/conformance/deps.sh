#!/usr/bin/env bash
# Installs the pinned npm packages of the Node tests into
# test/conformance/node_modules, once (again when package-lock.json
# changes). Writes test/conformance/.skip with the reason when they are
# missing and the npm registry cannot be reached; fails when Node is missing.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
rm -f "$dir/.skip"
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "node and npm are needed (Debian packages nodejs and npm: bash tools/deps.sh)" >&2; exit 1; }
stamp="$dir/node_modules/.lock-installed"
if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then exit 0; fi
if ! (cd "$dir" && timeout 600 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null); then
  if ! (cd "$dir" && timeout 60 npm ping >/dev/null 2>&1); then
    echo "SKIPPED: the npm registry cannot be reached, so Clarifai's protobuf schema (clarifai-nodejs-grpc) and node-postgres cannot be installed" > "$dir/.skip"
    exit 0
  fi
  echo "npm ci failed in $dir" >&2
  exit 1
fi
cp "$dir/package-lock.json" "$stamp"
