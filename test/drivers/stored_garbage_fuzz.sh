#!/usr/bin/env bash
# Garbage written straight into every readable column, then every reader:
# errors are fine, a crashed backend or an internal error is not (see
# stored_garbage_fuzz.py). A fixed seed under CI, a new one elsewhere.
set -euo pipefail
cd "$(dirname "$0")"
# a DROP EXTENSION is not needed: the database is dropped whole
/usr/bin/python3 stored_garbage_fuzz.py "$@"
