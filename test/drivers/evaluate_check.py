#!/usr/bin/env python3
"""Checks annotations.evaluate_detections, match_detections and the kernel
(_evaluate_boxes) against coco_reference.py, crowd regions included.

Usage: evaluate_check.py DATABASE (the database has the extension; psql in
PATH with the PG* environment). Builds a dataset written for the test
through post_inputs / post_annotations (crowd regions marked afterwards,
as a COCO import marks them), runs the functions, runs the reference on
the rows as stored, and compares every figure within 1e-6.
"""
import json
import math
import os
import random
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coco_reference as ref  # noqa: E402

DB = sys.argv[1]
APP = 'evalcheck'
TOL = 1e-6
failures = []


def psql(sql, *, json_out=False):
    out = subprocess.run(['psql', '-qXAt', '-v', 'ON_ERROR_STOP=1', '-d', DB],
                         input=sql, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit('psql failed: ' + out.stderr)
    return json.loads(out.stdout or 'null') if json_out else out.stdout


def q(s):
    return "'" + s.replace("'", "''") + "'"


# ---------- the dataset ----------
rng = random.Random(20240611)
SIZES = [(640, 480), (512, 512), (1024, 768), (333, 500), (256, 256), (800, 600),
         (1280, 720), (512, 256), (640, 640), (1000, 1000), (300, 200), (1024, 1024)]
CONCEPTS = ['car', 'person', 'dog', 'cat', 'bike']
inputs = []
anns = []   # (input_id, author dict, concept, (top, left, bottom, right) fractions, value, status)
crowd = set()   # indexes in anns of the regions marked iscrowd
shapes = {}     # index in anns -> region_info of a polygon or mask region (instead of its box)
kept_areas = {}  # index in anns -> the area a COCO import would have kept
mask_areas = {}  # index in anns -> pixels set in its mask (the mask has the image's size)
seq = [0]


def add(input_id, size, author, concept, px, value=1.0, status=None, iscrowd=False):
    """px: (x, y, w, h) in pixels, clipped to the image."""
    W, H = size
    x, y, w, h = px
    x = max(0.0, min(x, W - 1.0))
    y = max(0.0, min(y, H - 1.0))
    w = max(1.0, min(w, W - x))
    h = max(1.0, min(h, H - y))
    if iscrowd:
        crowd.add(len(anns))
    anns.append((input_id, author, concept, (y / H, x / W, (y + h) / H, (x + w) / W), value, status))


def rand_box(size, kind):
    W, H = size
    lo, hi = {'small': (4, 31), 'medium': (33, 95), 'large': (100, min(W, H) - 1)}[kind]
    w = rng.uniform(lo, hi)
    h = rng.uniform(lo, hi) if kind != 'large' else rng.uniform(lo, min(H - 1, hi))
    return (rng.uniform(0, W - w), rng.uniform(0, H - h), w, h)


GT = {'user_id': None}            # the owner (the default author)
OTHER = {'user_id': 'regress_eval_other'}
M1 = {'model_version_id': 'm1'}
M2 = {'model_version_id': 'm2'}

for n, size in enumerate(SIZES):
    iid = 'img-%02d' % n
    inputs.append((iid, size))
    for _ in range(rng.randint(2, 9)):
        concept = rng.choice(CONCEPTS)
        kind = rng.choice(['small', 'medium', 'large'])
        box = rand_box(size, kind)
        add(iid, size, rng.choice([GT, GT, OTHER]), concept, box, iscrowd=rng.random() < 0.15)
        # a prediction near it, most of the time; scores on a coarse grid, so ties
        if rng.random() < 0.8:
            x, y, w, h = box
            j = rng.uniform(0, 0.4)
            add(iid, size, M1, concept,
                (x + rng.uniform(-j, j) * w, y + rng.uniform(-j, j) * h,
                 w * rng.uniform(1 - j, 1 + j), h * rng.uniform(1 - j, 1 + j)),
                value=rng.choice([0.3, 0.5, 0.5, 0.7, 0.9, 0.9]))
        if rng.random() < 0.3:
            add(iid, size, M2, concept, box, value=0.99)      # another model: not evaluated
        if rng.random() < 0.2:
            add(iid, size, GT, concept, rand_box(size, kind), status=24151)   # pending: not ground truth
    for _ in range(rng.randint(0, 4)):     # false positives, also of a concept nobody drew
        add(iid, size, M1, rng.choice(CONCEPTS + ['ghost']), rand_box(size, rng.choice(['small', 'medium', 'large'])),
            value=rng.choice([0.1, 0.3, 0.5, 0.9]))
    if rng.random() < 0.5:             # a concept with ground truth only
        add(iid, size, GT, 'tree', rand_box(size, 'medium'))

# boxes on the edges of the area ranges (512 x 512: exact fractions)
S = (512, 512)
inputs.append(('img-edges', S))
for concept, side in [('car', 32), ('car', 96), ('dog', 32), ('dog', 96)]:
    add('img-edges', S, GT, concept, (10, 10 + side, side, side))
    add('img-edges', S, M1, concept, (10, 10 + side, side, side), value=0.5)
    add('img-edges', S, M1, concept, (12, 12 + side, side, side), value=0.5)   # a tie
# exact IoU 0.5 between a 64x64 box and one shifted by a third of it
add('img-edges', S, GT, 'bike', (256, 256, 96, 64))
add('img-edges', S, M1, 'bike', (256 + 32, 256, 96, 64), value=0.8)       # IoU = 64/128 = 0.5

# one crowded image: 150 predictions of person over 40 objects
C = (1024, 768)
inputs.append(('img-crowded', C))
objs = [rand_box(C, rng.choice(['small', 'medium', 'large'])) for _ in range(40)]
for b in objs:
    add('img-crowded', C, GT, 'person', b)
for i in range(150):
    x, y, w, h = objs[i % 40]
    j = rng.uniform(0, 0.5)
    add('img-crowded', C, M1, 'person',
        (x + rng.uniform(-j, j) * w, y + rng.uniform(-j, j) * h, w, h),
        value=round(rng.uniform(0.05, 1.0), 1))

# a crowd region with predictions inside it (each one matches it, none
# counts), a regular object next to it, and a prediction of the model
# version that is no ground truth marked crowd (a prediction never is one)
K = (800, 600)
inputs.append(('img-crowd', K))
add('img-crowd', K, GT, 'person', (100, 100, 400, 300), iscrowd=True)
add('img-crowd', K, GT, 'person', (600, 400, 80, 120))
for i, score in enumerate([0.95, 0.9, 0.9, 0.6, 0.3]):
    add('img-crowd', K, M1, 'person', (120 + 60 * i, 150 + 20 * i, 50, 90), value=score)
add('img-crowd', K, M1, 'person', (605, 405, 80, 110), value=0.8)
add('img-crowd', K, M1, 'person', (590, 380, 100, 150), value=0.7, iscrowd=True)
add('img-crowd', K, GT, 'dog', (10, 10, 200, 200), iscrowd=True)     # a crowd only: no regular dog here
add('img-crowd', K, M1, 'dog', (20, 20, 100, 100), value=0.5)

# ground truth of other shapes, whose area is not their box's: the area
# ranges look at the area an import kept, else at the shape's area in
# pixels (as export_coco writes them), and COCO's bbox evaluation matches
# the box around the shape. A triangle in a 40 x 40 box is small (800 px),
# its box medium; a 120 x 120 box kept as 500 px is small; a triangle of
# 5,000 px kept as 20,000 is large; a mask of two 10-pixel strokes in
# opposite corners is small (20 px), its box (the whole image) medium.
P = (1000, 1000)
inputs.append(('img-shapes', P))


def add_polygon(iid, size, pts, score_box=None, kept=None):
    W, H = size
    xs = [x for x, _ in pts]
    ys = [y for _, y in pts]
    box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    shapes[len(anns)] = {'polygon': {'points': [{'row': y / H, 'col': x / W} for x, y in pts]}}
    if kept is not None:
        kept_areas[len(anns)] = kept
    add(iid, size, GT, 'shape', box)
    add(iid, size, M1, 'shape', score_box or box, value=0.8)


add_polygon('img-shapes', P, [(100, 100), (140, 100), (100, 140)])
add_polygon('img-shapes', P, [(500, 500), (600, 500), (500, 600)], kept=20000)
kept_areas[len(anns)] = 500
add('img-shapes', P, GT, 'shape', (300, 300, 120, 120))
add('img-shapes', P, M1, 'shape', (302, 300, 120, 118), value=0.6)
Q = (100, 80)
inputs.append(('img-mask', Q))
shapes[len(anns)] = {'mask': {'rle': {'size': [80, 100], 'counts': [0, 10, 7980, 10]}}}
mask_areas[len(anns)] = 20
add('img-mask', Q, GT, 'shape', (0, 0, 100, 80))
add('img-mask', Q, M1, 'shape', (0, 0, 100, 80), value=0.7)

# shapes compared as shapes (iou_type 'segm'): polygons, masks and boxes,
# ground truth and predictions alike, on two images, with a crowd polygon
# that predictions fall into; the boxes around these shapes overlap far
# more than the shapes do, so segm and bbox give different figures.
def add_shape(iid, size, author, concept, info, value=1.0, iscrowd=False):
    shapes[len(anns)] = info
    add(iid, size, author, concept, (0, 0, 1, 1), value=value, iscrowd=iscrowd)


def star(cx, cy, r, n, jitter):
    """A concave polygon around (cx, cy), in pixels."""
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r * (1 if i % 2 == 0 else 0.45) * rng.uniform(1 - jitter, 1 + jitter)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def poly_info(size, pts):
    W, H = size
    return {'polygon': {'points': [{'row': min(max(y / H, 0), 1), 'col': min(max(x / W, 0), 1)} for x, y in pts]}}


def mask_info(size, inside):
    """A mask at the image's size from a pixel test (column-major runs)."""
    W, H = size
    counts = []
    cur = 0
    run = 0
    for c in range(W):
        for r in range(H):
            v = 1 if inside(r, c) else 0
            if v != cur:
                counts.append(run)
                cur, run = v, 0
            run += 1
    counts.append(run)
    return {'mask': {'rle': {'size': [H, W], 'counts': counts}}}


SEGM = [('img-segm-a', (200, 150)), ('img-segm-b', (64, 48))]
for iid, size in SEGM:
    inputs.append((iid, size))
    W, H = size
    for _ in range(5):
        cx, cy, r = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H, rng.uniform(0.1, 0.3) * min(W, H)
        if rng.random() < 0.5:
            add_shape(iid, size, GT, 'blob', poly_info(size, star(cx, cy, r, 10, 0.1)))
        else:
            add_shape(iid, size, GT, 'blob', mask_info(size, lambda y, x, cx=cx, cy=cy, r=r:
                                                      (x + 0.5 - cx) ** 2 / 2 + (y + 0.5 - cy) ** 2 < r * r / 2))
        # predictions: the same star moved a little, a disc mask, a box
        dx, dy = rng.uniform(-0.3, 0.3) * r, rng.uniform(-0.3, 0.3) * r
        add_shape(iid, size, M1, 'blob', poly_info(size, star(cx + dx, cy + dy, r, 10, 0.2)),
                  value=rng.choice([0.4, 0.6, 0.6, 0.8]))
        if rng.random() < 0.6:
            add_shape(iid, size, M1, 'blob', mask_info(size, lambda y, x, cx=cx + dy, cy=cy + dx, r=r:
                                                      (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r * 0.6),
                      value=rng.choice([0.3, 0.6, 0.9]))
        if rng.random() < 0.6:
            add_shape(iid, size, M1, 'blob', {'bounding_box': {
                'top_row': max(cy - r, 0) / H, 'left_col': max(cx - r, 0) / W,
                'bottom_row': min(cy + r, H) / H, 'right_col': min(cx + r, W) / W}}, value=0.5)
    # a crowd of blobs: one polygon over the right part, predictions inside it
    add_shape(iid, size, GT, 'blob', poly_info(size, [(0.6 * W, 0.1 * H), (0.95 * W, 0.1 * H),
                                                      (0.95 * W, 0.9 * H), (0.7 * W, 0.6 * H)]), iscrowd=True)
    for i in range(3):
        add_shape(iid, size, M1, 'blob', poly_info(size, star(0.8 * W, (0.25 + 0.2 * i) * H, 0.08 * min(W, H), 8, 0.2)),
                  value=rng.choice([0.2, 0.7]))

# only ground truth; only predictions; nothing at all; no size
inputs.append(('img-gt-only', (640, 480)))
add('img-gt-only', (640, 480), GT, 'cat', (10, 10, 50, 40))
inputs.append(('img-dt-only', (640, 480)))
add('img-dt-only', (640, 480), M1, 'cat', (10, 10, 50, 40), value=0.6)
inputs.append(('img-empty', (640, 480)))
inputs.append(('img-nosize', None))
add('img-nosize', (100, 100), GT, 'car', (10, 10, 50, 50))
add('img-nosize', (100, 100), M1, 'car', (10, 10, 50, 50), value=0.9)

# ---------- posting ----------
sql = ["SET client_min_messages = warning;",
       "DROP ROLE IF EXISTS regress_eval_other; CREATE ROLE regress_eval_other;",
       "SELECT annotations.create_app(%s);" % q(APP),
       "SELECT annotations.add_collaborator(%s, 'regress_eval_other');" % q(APP)]
req = []
for iid, size in inputs:
    image = {'url': 'https://example.com/%s.jpg' % iid}
    if size:
        image['image_info'] = {'width': size[0], 'height': size[1]}
    req.append({'id': iid, 'data': {'image': image}})
sql.append("SELECT count(*) FROM annotations.post_inputs(%s, %s);" % (q(APP), q(json.dumps(req))))
items = []
for k, (iid, author, concept, (t, l, b, r), value, status) in enumerate(anns):
    info = shapes.get(k) or {'bounding_box': {'top_row': t, 'left_col': l, 'bottom_row': b, 'right_col': r}}
    item = {'id': 'a%05d' % k, 'input_id': iid,
            'data': {'regions': [{'region_info': info, 'data': {'concepts': [{'id': concept, 'value': value}]}}]}}
    item.update({a: v for a, v in author.items() if v is not None})
    if status:
        item['status'] = {'code': status}
    items.append(item)
for i in range(0, len(items), 128):
    sql.append("SELECT count(*) FROM annotations.post_annotations(%s, %s);" % (q(APP), q(json.dumps(items[i:i + 128]))))
sql.append("UPDATE annotations.regions SET iscrowd = true WHERE app_id = %s AND annotation_id = ANY (%s);"
           % (q(APP), q('{' + ','.join('a%05d' % k for k in sorted(crowd)) + '}')))
for k, area in kept_areas.items():
    sql.append("UPDATE annotations.annotations SET annotation_info = '{\"coco\": {\"area\": %s}}' "
               "WHERE app_id = %s AND id = 'a%05d';" % (area, q(APP), k))
psql('\n'.join(sql))
n_gt = sum(1 for a in anns if 'model_version_id' not in a[1])
print('dataset: %d inputs, %d boxes (%d by users, %d by models), %d marked crowd' % (
    len(inputs), len(anns), n_gt, len(anns) - n_gt, len(crowd)))

# ---------- the rows as stored, in the order the store keeps them ----------
rows = psql("""
SELECT coalesce(json_agg(json_build_object(
         'input', a.input_id, 'ann', a.id,
         'w', (i.data #>> '{image,image_info,width}')::float8,
         'h', (i.data #>> '{image,image_info,height}')::float8,
         'pred', a.model_version_id = 'm1', 'user', a.user_id, 'status', a.status, 'crowd', r.iscrowd,
         'polygon', r.polygon::text, 'mask', r.mask::jsonb, 'box', r.bbox::jsonb, 'region', r.id,
         'kept_area', a.annotation_info #> '{coco,area}',
         'model', a.model_version_id,
         'top', ((r.bbox::jsonb ->> 'top_row')::float4)::float8,
         'left', ((r.bbox::jsonb ->> 'left_col')::float4)::float8,
         'bottom', ((r.bbox::jsonb ->> 'bottom_row')::float4)::float8,
         'right', ((r.bbox::jsonb ->> 'right_col')::float4)::float8,
         'concept', c.value ->> 'id', 'value', (c.value ->> 'value')::float8)
       ORDER BY a.input_id COLLATE "C", a.seq, c.ord), '[]')
  FROM annotations.annotations a
  JOIN annotations.regions r ON r.app_id = a.app_id AND r.annotation_id = a.id
  JOIN annotations.inputs i ON i.app_id = a.app_id AND i.id = a.input_id
  CROSS JOIN LATERAL jsonb_array_elements(r.concepts) WITH ORDINALITY c(value, ord)
 WHERE a.app_id = %s""" % q(APP), json_out=True)


def f4(v):
    """The float4 a stored coordinate holds, as a double."""
    return struct.unpack('f', struct.pack('f', v))[0]


def gt_area(row, w, h):
    """COCO's area of a ground-truth object as export_coco writes it: the
    area an import kept, else a polygon's (shoelace on its stored points)
    or a mask's pixels, else the box's w * h."""
    if row['kept_area'] is not None:
        return float(row['kept_area'])
    if row['polygon']:
        pts = [tuple(f4(float(c)) for c in p.split(','))
               for p in row['polygon'].strip('()').split('),(')]
        twice = sum(c1 * r2 - c2 * r1 for (r1, c1), (r2, c2) in zip(pts, pts[1:] + pts[:1]))
        return abs(twice) / 2 * row['w'] * row['h']
    k = int(row['ann'][1:])
    if k in mask_areas:
        return float(mask_areas[k])
    if row['mask'] is not None:
        m = row['mask']['rle']
        return float(ref.rle_area(ref.rle_fr_string(m['counts'], m['size'][0], m['size'][1])))
    return w * h


def segmentation(row, W, H):
    """The region's shape as an RLE of the image's size, as COCO's segm
    evaluation would hold it: a polygon's stored points (the doubles their
    shortest spellings name) in pixels, a mask as stored, a box as the
    polygon of its corners."""
    W, H = int(W), int(H)
    if row['polygon']:
        xy = []
        for p in row['polygon'].strip('()').split('),('):
            r, c = p.split(',')
            xy += [float(c) * W, float(r) * H]
        return ref.rle_fr_poly(xy, H, W)
    if row['mask'] is not None:
        m = row['mask']['rle']
        return ref.rle_fr_string(m['counts'], m['size'][0], m['size'][1])
    b = {k: float(v) for k, v in row['box'].items()}
    return ref.rle_fr_bbox(b['left_col'] * W, b['top_row'] * H, b['right_col'] * W, b['bottom_row'] * H, H, W)


def coco_documents(rows, with_crowd=True, shape_areas=True, segm=False):
    """The COCO ground truth and results the store's rows stand for (with
    with_crowd False, as if no region were marked crowd; with shape_areas
    False, every object's area its box's)."""
    images = {}
    gts = []
    dts = []
    cats = set()
    ann_of = {}
    for row in rows:
        if row['w'] is None or row['h'] is None:
            continue                               # no size: left out, as the function does
        if row['model'] not in (None, 'm1') or row['value'] <= 0:
            continue
        if row['model'] is None and row['status'] != 'success':
            continue
        W, H = row['w'], row['h']
        images[row['input']] = {'id': row['input'], 'width': W, 'height': H}
        x, y = row['left'] * W, row['top'] * H
        w, h = (row['right'] - row['left']) * W, (row['bottom'] - row['top']) * H
        cats.add(row['concept'])
        if row['pred']:
            dts.append({'image_id': row['input'], 'category_id': row['concept'], 'bbox': [x, y, w, h],
                        'score': row['value']})
            if segm:
                dts[-1]['segmentation'] = segmentation(row, W, H)
            ann_of[('dt', len(dts))] = row['ann']
        else:
            g = {'id': len(gts) + 1, 'image_id': row['input'], 'category_id': row['concept'],
                 'bbox': [x, y, w, h], 'area': gt_area(row, w, h) if shape_areas else w * h,
                 'iscrowd': int(with_crowd and row['crowd'])}
            if segm:
                g['segmentation'] = segmentation(row, W, H)
            gts.append(g)
            ann_of[('gt', g['id'])] = row['ann']
    return {'images': list(images.values()), 'annotations': gts, 'results': dts,
            'categories': [{'id': c} for c in sorted(cats)]}, ann_of


def run_reference(doc, thr=None, maxdets=None, iou_type='bbox'):
    params = ref.Params(thr, maxdets, iou_type)
    gt = [dict(a) for a in doc['annotations']]
    dt = ref.load_results(doc['results'])
    ev = ref.Evaluator(gt, dt, [i['id'] for i in doc['images']], [c['id'] for c in doc['categories']], params)
    ev.evaluate()
    ev.accumulate()
    stats = {None: ev.summarize()}
    for k, cat in enumerate(params.catIds):
        s = ev.summarize(k)
        s['tp50'], s['fp50'], s['fn50'] = ev.counts50(k)
        imgs = set(params.imgIds)
        s['gt_count'] = sum(1 for a in gt if a['category_id'] == cat and a['image_id'] in imgs)
        s['dt_count'] = sum(1 for a in dt if a['category_id'] == cat and a['image_id'] in imgs)
        stats[cat] = s
    tp = [stats[c]['tp50'] for c in params.catIds]
    stats[None].update({'gt_count': sum(stats[c]['gt_count'] for c in params.catIds),
                        'dt_count': sum(stats[c]['dt_count'] for c in params.catIds),
                        'tp50': None if None in tp else sum(tp),
                        'fp50': None if None in tp else sum(stats[c]['fp50'] for c in params.catIds),
                        'fn50': None if None in tp else sum(stats[c]['fn50'] for c in params.catIds)})
    return stats, ev


FIGURES = ['ap', 'ap50', 'ap75', 'ap_small', 'ap_medium', 'ap_large', 'ar1', 'ar10', 'ar100',
           'ar_small', 'ar_medium', 'ar_large', 'gt_count', 'dt_count', 'tp50', 'fp50', 'fn50']


def compare(name, got_rows, want):
    got = {r['concept_id']: r for r in got_rows}
    if set(got) != set(want):
        failures.append('%s: concepts %s, reference %s' % (name, sorted(map(str, got)), sorted(map(str, want))))
        return
    n = 0
    worst = 0.0
    for c, w in want.items():
        for f in FIGURES:
            a, b = got[c][f], w[f]
            n += 1
            if a is None or b is None:
                ok = a is None and b is None
            else:
                ok = abs(a - b) <= TOL
                worst = max(worst, abs(a - b))
            if not ok:
                failures.append('%s: concept %s %s = %s, reference %s' % (name, c, f, a, b))
    print('%s: %d concepts, %d figures compared, largest difference %.3g' % (name, len(want), n, worst))


def evaluate_rows(call):
    return psql("SELECT coalesce(json_agg(e), '[]') FROM %s e" % call, json_out=True)


doc, ann_of = coco_documents(rows)
print('reference dataset: %d images, %d ground truth, %d detections, %d categories' % (
    len(doc['images']), len(doc['annotations']), len(doc['results']), len(doc['categories'])))

# 1. defaults
want, ev = run_reference(doc)
compare('evaluate_detections (defaults)', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}')" % q(APP)), want)
for c in ['tree', 'ghost']:
    print('  %s: ap %s, gt %s, dt %s' % (c, want[c]['ap'], want[c]['gt_count'], want[c]['dt_count']))
print('  all: ap %.6f ap50 %.6f ap75 %.6f ar100 %.6f' % (want[None]['ap'], want[None]['ap50'],
                                                        want[None]['ap75'], want[None]['ar100']))

# 2. other thresholds and maxDets
want2, _ = run_reference(doc, [0.5, 0.6, 0.75, 0.9], [1, 5, 20])
compare('evaluate_detections (iou {0.5,0.6,0.75,0.9}, maxDets {20,1,5})', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}', iou_thresholds => '{0.5,0.6,0.75,0.9}', "
    "max_detections => '{20,1,5}')" % q(APP)), want2)
want3, _ = run_reference(doc, [0.3, 0.8])
compare('evaluate_detections (iou {0.3,0.8}: no AP50, AP75)', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}', iou_thresholds => '{0.3,0.8}')" % q(APP)), want3)

# 3. one user's ground truth only, some inputs only
doc_u, _ = coco_documents([r for r in rows if r['model'] is not None or r['user'] != 'regress_eval_other'])
keep = {'img-00', 'img-03', 'img-crowded', 'img-edges', 'img-gt-only'}
doc_u['images'] = [i for i in doc_u['images'] if i['id'] in keep]
doc_u['categories'] = [{'id': c} for c in sorted({a['category_id'] for a in doc_u['annotations'] + doc_u['results']
                                                   if a['image_id'] in keep})]
owner = psql("SELECT current_user").strip()
want4, _ = run_reference(doc_u)
compare('evaluate_detections (user_ids, input_ids)', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}', user_ids => ARRAY[%s], input_ids => '{%s}')"
    % (q(APP), q(owner), ','.join(sorted(keep)))), want4)

# 4. match_detections at 0.5 against evaluateImg's matches (area all, top 100)
matches = psql("SELECT coalesce(json_agg(m), '[]') FROM annotations.match_detections(%s, '{m1}') m" % q(APP),
               json_out=True)
got = {m['prediction_id']: m for m in matches if m['prediction_id'] is not None}
crowd_of = {ann_of[('gt', a['id'])]: bool(a['iscrowd']) for a in doc['annotations']}
n = 0
n_crowd = 0
for d, g in ev.matches50():
    pid = ann_of[('dt', d)]
    expect = ann_of[('gt', g)] if g else None
    # COCO: a detection matched to a crowd region is ignored, neither TP nor FP
    flag = None if g and crowd_of[expect] else bool(g)
    n += 1
    n_crowd += flag is None
    m = got.get(pid, {'ground_truth_id': 'missing', 'matched': 'missing'})
    if m['ground_truth_id'] != expect or m['matched'] != flag:
        failures.append('match_detections: %s matched %s (%s), reference %s (%s)'
                        % (pid, m['ground_truth_id'], m['matched'], expect, flag))
missed = sorted(m['ground_truth_id'] for m in matches if m['prediction_id'] is None)
if any(crowd_of[g] for g in missed):
    failures.append('match_detections: a crowd region no prediction matched is listed as missed')
print('match_detections: %d rows, %d predictions checked against the reference (%d in crowd regions), '
      '%d missed objects' % (len(matches), n, n_crowd, len(missed)))

# 5. the kernel, on the same boxes given as arrays
arr = {'images': [], 'concepts': [], 'scores': [], 'crowd': [], 'boxes': [], 'areas': []}
for g in doc['annotations']:
    arr['images'].append(g['image_id']); arr['concepts'].append(g['category_id']); arr['scores'].append(None)
    arr['crowd'].append(bool(g['iscrowd'])); arr['boxes'].extend(g['bbox']); arr['areas'].append(g['area'])
for d in doc['results']:
    arr['images'].append(d['image_id']); arr['concepts'].append(d['category_id']); arr['scores'].append(d['score'])
    arr['crowd'].append(False); arr['boxes'].extend(d['bbox']); arr['areas'].append(d['bbox'][2] * d['bbox'][3])
args = q(json.dumps(arr))
call = ("annotations._evaluate_boxes("
        "ARRAY(SELECT jsonb_array_elements_text(j -> 'images')),"
        "ARRAY(SELECT jsonb_array_elements_text(j -> 'concepts')),"
        "ARRAY(SELECT (e #>> '{}')::float8 FROM jsonb_array_elements(j -> 'scores') e),"
        "ARRAY(SELECT e::boolean FROM jsonb_array_elements_text(j -> 'crowd') e),"
        "ARRAY(SELECT (e #>> '{}')::float8 FROM jsonb_array_elements(j -> 'boxes') e),"
        "ARRAY(SELECT (e #>> '{}')::float8 FROM jsonb_array_elements(j -> 'areas') e))")
got5 = psql("SELECT coalesce(json_agg(e), '[]') FROM (SELECT %s::jsonb AS j) s, LATERAL %s e" % (args, call),
            json_out=True)
print('kernel: %d crowd objects of %d' % (sum(arr['crowd']), len(doc['annotations'])))
compare('_evaluate_boxes', got5, want)

# the crowd regions must matter, or the comparisons above do not test them
want_nc, _ = run_reference(coco_documents(rows, with_crowd=False)[0])
if all(abs(want_nc[None][f] - want[None][f]) < 1e-9 for f in ['ap', 'ar100']):
    failures.append('crowd regions changed nothing: the test does not test them')
if want_nc['person']['fp50'] - want['person']['fp50'] < 3:
    failures.append('the predictions inside the crowd region are not what makes the difference')
# and so must the areas of shapes and kept areas
want_box, _ = run_reference(coco_documents(rows, shape_areas=False)[0])
differ = [f for f in ['ap_small', 'ap_medium', 'ap_large', 'ar_small', 'ar_medium', 'ar_large']
          if abs(want_box['shape'][f] - want['shape'][f]) > 1e-9]
print('areas of shapes and kept areas change %s of concept "shape"' % ', '.join(differ))
if len(differ) < 4:
    failures.append('areas of shapes change too little: the test does not test them')

# 6. iou_type 'segm': the shapes themselves, rasterized at the image's size
doc_s, ann_of_s = coco_documents(rows, segm=True)
want_s, ev_s = run_reference(doc_s, iou_type='segm')
compare('evaluate_detections (segm)', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}', iou_type => 'segm')" % q(APP)), want_s)
want_s2, _ = run_reference(doc_s, [0.5, 0.6, 0.75, 0.9], [1, 5, 20], iou_type='segm')
compare('evaluate_detections (segm, iou {0.5,0.6,0.75,0.9}, maxDets {20,1,5})', evaluate_rows(
    "annotations.evaluate_detections(%s, '{m1}', iou_thresholds => '{0.5,0.6,0.75,0.9}', "
    "max_detections => '{20,1,5}', iou_type => 'segm')" % q(APP)), want_s2)
matches_s = psql("SELECT coalesce(json_agg(m), '[]') FROM annotations.match_detections(%s, '{m1}', iou_type => 'segm') m"
                 % q(APP), json_out=True)
got_s = {m['prediction_id']: m for m in matches_s if m['prediction_id'] is not None}
seg_of = {('dt', i + 1): d['segmentation'] for i, d in enumerate(doc_s['results'])}
seg_of.update({('gt', g['id']): g['segmentation'] for g in doc_s['annotations']})
crowd_s = {g['id']: bool(g['iscrowd']) for g in doc_s['annotations']}
n = 0
worst = 0.0
for d, g in ev_s.matches50():
    pid = ann_of_s[('dt', d)]
    expect = ann_of_s[('gt', g)] if g else None
    flag = None if g and crowd_s[g] else bool(g)
    m = got_s.get(pid, {'ground_truth_id': 'missing', 'matched': 'missing', 'iou': None})
    n += 1
    if m['ground_truth_id'] != expect or m['matched'] != flag:
        failures.append('match_detections (segm): %s matched %s (%s), reference %s (%s)'
                        % (pid, m['ground_truth_id'], m['matched'], expect, flag))
    elif g:
        iou = ref.rle_iou([seg_of[('dt', d)]], [seg_of[('gt', g)]], [crowd_s[g]])[0][0]
        worst = max(worst, abs(m['iou'] - iou))
        if abs(m['iou'] - iou) > TOL:
            failures.append('match_detections (segm): %s IoU %s, reference %s' % (pid, m['iou'], iou))
print('match_detections (segm): %d predictions checked, IoUs within %.3g' % (n, worst))
# shapes must matter, or the comparisons above do not test them
for c in ['blob', 'shape']:
    if all(abs(want_s[c][f] - want[c][f]) < 1e-9 for f in ['ap', 'ap50', 'ar100']):
        failures.append('segm and bbox agree on concept %s: the test does not test shapes' % c)
print('segm against bbox, concept blob: ap %.6f / %.6f, ap50 %.6f / %.6f' % (
    want_s['blob']['ap'], want['blob']['ap'], want_s['blob']['ap50'], want['blob']['ap50']))

if failures:
    print('\n'.join(['FAIL ' + f for f in failures[:50]]))
    sys.exit(1)
print('evaluate: all figures agree with the reference within %g' % TOL)
