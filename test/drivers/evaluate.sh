#!/usr/bin/env bash
# Evaluation against an independent COCO reference: builds a dataset in its
# own database through post_inputs / post_annotations, then compares
# evaluate_detections, match_detections and the kernel (crowd objects
# through _evaluate_boxes) with test/drivers/coco_reference.py, which
# restates pycocotools' COCOeval step by step, every figure within 1e-6.
set -euo pipefail
cd "$(dirname "$0")"
db=annotations_evaluate
dropdb --if-exists "$db" 2>/dev/null || true
createdb "$db"
trap 'dropdb --if-exists "$db" >/dev/null 2>&1 || true' EXIT
psql -qXA -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION annotations' >/dev/null
python3 evaluate_check.py "$db"
psql -qXA -d "$db" -c 'DROP ROLE IF EXISTS regress_eval_other' >/dev/null 2>&1 || true
