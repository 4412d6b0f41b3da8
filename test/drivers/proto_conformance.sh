#!/usr/bin/env bash
# The extension's JSON against Clarifai's official protobuf schema
# (test/conformance/conformance.js): to_json output is valid, messages
# serialized by protobufjs are accepted and store the same labels, and the
# README's field coverage table is the one the API shows. The npm packages
# (pinned in test/conformance/package-lock.json) are installed once into
# test/conformance/node_modules (ignored by git); without Node the test
# fails, and it is skipped only when they are missing and the npm registry
# cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/conformance/deps.sh || exit $?
[ -f test/conformance/.skip ] && { cat test/conformance/.skip; exit 0; }
db=annotations_conformance
dropdb --if-exists "$db" 2>/dev/null; createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
PGDATABASE="$db" node test/conformance/conformance.js "$@"
