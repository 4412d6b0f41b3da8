#!/usr/bin/env bash
# list_annotations: page cost in a 2,000,000-annotation app vs a 10,000 one,
# per filter kind, first page and keyset page at depth 1,000,000.
# Needs the PG* environment of a superuser (make bench / pg_virtualenv).
# Plans go to test/bench/out/30_list_*.txt.
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/30_list.py" "$@"
