#!/usr/bin/env bash
# The package metadata tells the same version as the control file: PGXN's
# META.json (semantic version x.y.0 of default_version), the licence it names
# is the one shipped, and the files it names exist.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - <<'PY'
import json, re, sys, os
control = open('annotations.control').read()
default = re.search(r"default_version\s*=\s*'([^']+)'", control).group(1)
meta = json.load(open('META.json'))
want = default + '.0'
errors = []
if meta['version'] != want:
    errors.append(f"META.json version {meta['version']} != {want}")
if meta['provides']['annotations']['version'] != want:
    errors.append(f"META.json provides.annotations.version {meta['provides']['annotations']['version']} != {want}")
licence = open('LICENSE').read()
if meta['license'] != 'postgresql' or 'Permission to use, copy, modify, and distribute this software' not in licence:
    errors.append('META.json must name the PostgreSQL licence, and LICENSE must be its text')
for f in (meta['provides']['annotations']['file'], meta['provides']['annotations']['docfile']):
    if not os.path.exists(f):
        errors.append(f'META.json names {f}, which does not exist')
for e in errors:
    print('metadata:', e)
print(f"metadata: version {default}, {'ok' if not errors else 'FAILED'}")
sys.exit(1 if errors else 0)
PY
