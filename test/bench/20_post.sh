#!/usr/bin/env bash
# post_annotations vs plain multi-row INSERT, batches of 128.
# Needs the PG* environment of a superuser (make bench / pg_virtualenv).
# BENCH_POST_ROWS (default 1000000) rows per side with row-level security in force.
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/20_post.py" "$@"
