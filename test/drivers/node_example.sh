#!/usr/bin/env bash
# The README's node-postgres example (the js block under "### node-postgres"),
# run as written against a fresh database of the cluster in the PG*
# environment; its "// → " lines are the output it must print, in order.
# node-postgres comes from test/conformance (pinned, installed once), and is
# skipped like the conformance test when the npm registry cannot be reached.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/conformance/deps.sh || exit $?
[ -f test/conformance/.skip ] && { cat test/conformance/.skip; exit 0; }
work=$(mktemp -d)
db=annotations_node_example
trap 'rm -rf "$work"; dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
awk '/^### node-postgres/ {on=1} on && /^```js$/ {code=1; next} code && /^```$/ {exit} code {print}' README.md > "$work/example.js"
[ -s "$work/example.js" ] || { echo "node_example: no js block under ### node-postgres in README.md" >&2; exit 1; }
sed -n 's|^ *// → ||p' "$work/example.js" > "$work/expected"
dropdb --if-exists "$db" 2>/dev/null; createdb "$db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations;'
PGDATABASE="$db" NODE_PATH="$PWD/test/conformance/node_modules" node "$work/example.js" > "$work/got"
if ! diff -u "$work/expected" "$work/got"; then
  echo "node_example: the README's node-postgres example printed something else (- expected, + got)" >&2
  exit 1
fi
echo "node example: $(wc -l < "$work/got") lines as the README shows"
