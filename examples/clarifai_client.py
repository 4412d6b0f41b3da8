#!/usr/bin/env python3
"""Using the annotations extension from Python (psycopg 3).

Connects with the standard PG* environment variables (PGHOST, PGPORT,
PGDATABASE, PGUSER, PGPASSWORD), then does what a labeling tool does with
the Clarifai Annotations API: create an app and inputs, post annotations,
page through them, patch one, and export the boxes as COCO.

Every API call is one SQL function call. JSON goes in through psycopg's
Jsonb adapter and comes back as Python objects. Any failure raises, and the
program exits non-zero. Run it twice: the app gets a fresh name each time.

    python3 examples/clarifai_client.py
"""
import sys
import uuid

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb


def box(top, left, bottom, right):
    """A Clarifai region with one bounding box."""
    return {"region_info": {"bounding_box": {
        "top_row": top, "left_col": left, "bottom_row": bottom, "right_col": right}}}


def main():
    app = "py-" + uuid.uuid4().hex[:8]
    # autocommit: every API call is its own transaction, as with a REST API
    with psycopg.connect(autocommit=True, row_factory=dict_row) as conn:
        conn.execute("SELECT annotations.create_app(%s)", [app])

        # two images with their size (needed for COCO pixel boxes)
        inputs = [{"id": f"img-{i}", "data": {"image": {
                       "url": f"https://example.com/photos/img-{i}.jpg",
                       "image_info": {"width": 640, "height": 480}}}}
                  for i in range(2)]
        conn.execute("SELECT count(*) FROM annotations.post_inputs(%s, %s)", [app, Jsonb(inputs)])

        # 25 bounding boxes in one call (at most 128 per call)
        anns = []
        for i in range(25):
            region = box(0.02 * i, 0.01 * i, 0.02 * i + 0.25, 0.01 * i + 0.5)
            region["data"] = {"concepts": [{"id": "dog" if i % 3 else "cat", "value": 1}]}
            anns.append({"id": f"box-{i:02d}", "input_id": f"img-{i % 2}",
                         "data": {"regions": [region]}})
        posted = conn.execute("SELECT id FROM annotations.post_annotations(%s, %s)",
                              [app, Jsonb(anns)]).fetchall()

        # keyset paging: pass the seq of the last row seen as "after"
        seen, pages, after = [], 0, None
        while True:
            rows = conn.execute(
                "SELECT id, seq FROM annotations.list_annotations(%s, per_page => 10, after => %s)",
                [app, after]).fetchall()
            if not rows:
                break
            pages += 1
            seen += [r["id"] for r in rows]
            after = rows[-1]["seq"]
        if sorted(seen) != sorted(r["id"] for r in posted):
            raise RuntimeError(f"paging returned {len(seen)} annotations, expected {len(posted)}")

        # merge a concept into the region of one annotation (named by its region id);
        # "pet" is a new positive concept of that box, so COCO gets one box more
        region_id = conn.execute(
            "SELECT region_id FROM annotations.get_annotation(%s, 'img-0', 'box-00')",
            [app]).fetchone()["region_id"]
        patch = [{"id": "box-00", "input_id": "img-0",
                  "data": {"regions": [{"id": region_id,
                                        "data": {"concepts": [{"id": "pet", "value": 1}]}}]}}]
        patched = conn.execute(
            "SELECT region_concepts FROM annotations.patch_annotations(%s, 'merge', %s)",
            [app, Jsonb(patch)]).fetchone()
        concepts = [c["id"] for c in patched["region_concepts"]]
        if concepts != ["cat", "pet"]:
            raise RuntimeError(f"unexpected concepts after merge: {concepts}")

        # errors carry a SQLSTATE a program can act on
        try:
            conn.execute("SELECT annotations.get_annotation(%s, 'img-0', 'no-such-box')", [app])
            raise RuntimeError("get_annotation of a missing id did not fail")
        except psycopg.errors.NoDataFound as e:  # SQLSTATE P0002
            missing = e.diag.message_primary

        coco = conn.execute("SELECT annotations.export_coco(%s) AS doc", [app]).fetchone()["doc"]

        print(f"app {app}: {len(posted)} annotations posted, listed in {pages} pages of 10")
        print(f"patched box-00: region concepts {concepts}")
        print(f"missing annotation: {missing}")
        print("COCO: {} images, {} categories ({}), {} boxes, first bbox {}".format(
            len(coco["images"]), len(coco["categories"]),
            ", ".join(c["name"] for c in coco["categories"]),
            len(coco["annotations"]), coco["annotations"][0]["bbox"]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # any failure: say what, exit non-zero
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
