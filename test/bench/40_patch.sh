#!/usr/bin/env bash
# patch_annotations merge vs plain UPDATE, batches of 128.
# Needs the PG* environment of a superuser (make bench / pg_virtualenv).
set -euo pipefail
exec /usr/bin/python3 "$(dirname "$0")/40_patch.py" "$@"
