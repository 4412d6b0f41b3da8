#!/usr/bin/env python3
"""Reference COCO box evaluator for test/drivers/evaluate.sh.

An independent re-statement, in plain Python 3 (no numpy), of
pycocotools' COCOeval for iouType 'bbox' (PythonAPI/pycocotools/cocoeval.py
and the bbIou function of common/maskApi.c). It follows them step by step:

  COCO.loadRes             -> load_results   (ids from 1, area = w * h, iscrowd 0)
  COCOeval._prepare        -> Evaluator.prepare   (ignore flag = iscrowd)
  COCOeval.computeIoU      -> Evaluator.compute_iou, bb_iou (maskApi bbIou)
  COCOeval.evaluateImg     -> Evaluator.evaluate_img
  COCOeval.evaluate        -> Evaluator.evaluate
  COCOeval.accumulate      -> Evaluator.accumulate
  COCOeval.summarize       -> Evaluator.summarize (_summarizeDets), per
                              category as well (the same slice with one k)
  Params.setDetParams      -> Params (thresholds built as numpy.linspace does)

numpy operations are replaced by their exact equivalents: argsort with
kind='mergesort' by Python's stable sort, cumsum by running sums of
floats, searchsorted(side='left') by bisect_left, np.spacing(1) by
sys.float_info.epsilon, np.mean by a plain mean.

For iouType 'segm' (Params(iou_type='segm')), objects carry 'segmentation'
as an uncompressed RLE {'size': [h, w], 'counts': [...]}, made by the
functions below, which restate common/maskApi.c: rleFrPoly (a polygon
upsampled 5x, its column crossings turned into runs: in effect a pixel is
in when its centre is inside), rleFrBbox (the polygon of the box's corners),
rleFrString (COCO's compressed counts), rleArea and rleIou (shared pixels
over the union, or over the detection's own for a crowd object); loadRes
takes a detection's area as its mask's.

Two deliberate differences, both matching annotations.evaluate_detections
and neither changing anything with the default parameters: summarize()
takes AP at maxDets[2] (pycocotools writes the literal 100 there), and a
figure at an IoU threshold that is not among the thresholds is None
(pycocotools gives -1).

Input (JSON on stdin): {"images": [{"id", "width", "height"}],
"annotations": [{"id", "image_id", "category_id", "bbox", "area", "iscrowd"}],
"categories": [{"id"}], "results": [{"image_id", "category_id", "bbox", "score"}],
"iou_thresholds": [...] or null, "max_detections": [...]}.
Output (JSON): {"stats": {category or "": {figure: value}}, "matches": [...]}.
"""
import bisect
import json
import math
import sys
from collections import defaultdict

EPS = sys.float_info.epsilon  # np.spacing(1)


def linspace(start, stop, num):
    """numpy.linspace(start, stop, num, endpoint=True) for float64."""
    step = (stop - start) / (num - 1)
    y = [float(i) * step for i in range(num)]
    y = [v + start for v in y]
    y[-1] = stop
    return y


def rle_fr_poly(xy, h, w):
    """maskApi.c rleFrPoly: xy = [x0, y0, x1, y1, ...] in pixels; runs of
    the h x w mask, column-major, starting with 0s."""
    k = len(xy) // 2
    scale = 5.0
    x = [int(scale * xy[2 * j] + .5) for j in range(k)] + [0]
    y = [int(scale * xy[2 * j + 1] + .5) for j in range(k)] + [0]
    x[k], y[k] = x[0], y[0]
    u = []
    v = []
    for j in range(k):
        xs, xe, ys, ye = x[j], x[j + 1], y[j], y[j + 1]
        dx, dy = abs(xe - xs), abs(ys - ye)
        flip = (dx >= dy and xs > xe) or (dx < dy and ys > ye)
        if flip:
            xs, xe, ys, ye = xe, xs, ye, ys
        s = (ye - ys) / dx if dx >= dy else (xe - xs) / dy
        if dx >= dy:
            for d in range(dx + 1):
                t = dx - d if flip else d
                u.append(t + xs)
                v.append(int(ys + s * t + .5))
        else:
            for d in range(dy + 1):
                t = dy - d if flip else d
                v.append(t + ys)
                u.append(int(xs + s * t + .5))
    a = []
    for j in range(1, len(u)):
        if u[j] == u[j - 1]:
            continue
        xd = float(u[j] if u[j] < u[j - 1] else u[j] - 1)
        xd = (xd + .5) / scale - .5
        if math.floor(xd) != xd or xd < 0 or xd > w - 1:
            continue
        yd = float(v[j] if v[j] < v[j - 1] else v[j - 1])
        yd = (yd + .5) / scale - .5
        yd = 0 if yd < 0 else (h if yd > h else yd)
        yd = math.ceil(yd)
        a.append(int(xd) * h + int(yd))
    a.append(h * w)
    a.sort()
    p = 0
    for j in range(len(a)):
        a[j], p = a[j] - p, a[j]
    b = [a[0]]
    j = 1
    while j < len(a):
        if a[j] > 0:
            b.append(a[j])
            j += 1
        else:
            j += 1
            if j < len(a):
                b[-1] += a[j]
                j += 1
    return {'size': [h, w], 'counts': b}


def rle_fr_bbox(x0, y0, x1, y1, h, w):
    """maskApi.c rleFrBbox: the polygon of the corners (given as corners)."""
    return rle_fr_poly([x0, y0, x0, y1, x1, y1, x1, y0], h, w)


def rle_fr_string(s, h, w):
    """maskApi.c rleFrString: COCO's compressed counts."""
    cnts = []
    p = 0
    while p < len(s):
        x = 0
        k = 0
        more = True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1f) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(cnts) > 2:
            x += cnts[-2]
        cnts.append(x)
    return {'size': [h, w], 'counts': cnts}


def rle_bits(rle):
    """The mask as a Python integer, bit i for the pixel at column-major index i."""
    if '_bits' not in rle:
        bits = 0
        pos = 0
        for i, c in enumerate(rle['counts']):
            if i % 2 == 1:
                bits |= ((1 << c) - 1) << pos
            pos += c
        rle['_bits'] = bits
    return rle['_bits']


def rle_area(rle):
    return sum(rle['counts'][1::2])


def rle_iou(dt, gt, iscrowd):
    """maskApi.c rleIou: o[d][g]."""
    o = [[0.0] * len(gt) for _ in dt]
    for g, G in enumerate(gt):
        for d, D in enumerate(dt):
            if D['size'] != G['size']:
                raise ValueError('masks of different sizes')
            i = bin(rle_bits(D) & rle_bits(G)).count('1')
            if i == 0:
                continue
            u = rle_area(D) if iscrowd[g] else rle_area(D) + rle_area(G) - i
            o[d][g] = i / u
    return o


class Params:
    def __init__(self, iou_thrs=None, max_dets=None, iou_type='bbox'):
        self.iouType = iou_type
        self.imgIds = []
        self.catIds = []
        self.iouThrs = iou_thrs if iou_thrs is not None else linspace(.5, 0.95, int(round((0.95 - .5) / .05)) + 1)
        self.recThrs = linspace(.0, 1.00, int(round((1.00 - .0) / .01)) + 1)
        self.maxDets = max_dets if max_dets is not None else [1, 10, 100]
        self.areaRng = [[0 ** 2, 1e5 ** 2], [0 ** 2, 32 ** 2], [32 ** 2, 96 ** 2], [96 ** 2, 1e5 ** 2]]
        self.areaRngLbl = ['all', 'small', 'medium', 'large']
        self.useCats = 1


def load_results(results):
    """COCO.loadRes for bbox results."""
    anns = []
    for i, r in enumerate(results):
        ann = dict(r)
        bb = ann['bbox']
        ann['area'] = rle_area(ann['segmentation']) if 'segmentation' in ann else bb[2] * bb[3]
        ann['id'] = i + 1
        ann['iscrowd'] = 0
        anns.append(ann)
    return anns


def bb_iou(dt, gt, iscrowd):
    """maskApi.c bbIou: o[d][g]."""
    o = [[0.0] * len(gt) for _ in dt]
    for g, G in enumerate(gt):
        ga = G[2] * G[3]
        crowd = iscrowd[g]
        for d, D in enumerate(dt):
            da = D[2] * D[3]
            w = min(D[2] + D[0], G[2] + G[0]) - max(D[0], G[0])
            if w <= 0:
                continue
            h = min(D[3] + D[1], G[3] + G[1]) - max(D[1], G[1])
            if h <= 0:
                continue
            i = w * h
            u = da if crowd else da + ga - i
            o[d][g] = i / u
    return o


def stable_argsort(keys):
    return sorted(range(len(keys)), key=lambda i: keys[i])


class Evaluator:
    def __init__(self, gt_anns, dt_anns, img_ids, cat_ids, params):
        self.gt_anns = gt_anns
        self.dt_anns = dt_anns
        self.params = params
        params.imgIds = sorted(set(img_ids))   # np.unique
        params.catIds = sorted(set(cat_ids))

    def prepare(self):
        p = self.params
        imgs = set(p.imgIds)
        cats = set(p.catIds)
        # getAnnIds(imgIds, catIds): by image in imgIds order, dataset order inside
        def by_image(anns):
            per = defaultdict(list)
            for a in anns:
                per[a['image_id']].append(a)
            return [a for i in p.imgIds for a in per.get(i, []) if a['category_id'] in cats]
        gts = by_image([a for a in self.gt_anns if a['image_id'] in imgs])
        dts = by_image([a for a in self.dt_anns if a['image_id'] in imgs])
        for gt in gts:
            gt['ignore'] = gt['ignore'] if 'ignore' in gt else 0
            gt['ignore'] = 'iscrowd' in gt and gt['iscrowd']
        self._gts = defaultdict(list)
        self._dts = defaultdict(list)
        for gt in gts:
            self._gts[gt['image_id'], gt['category_id']].append(gt)
        for dt in dts:
            self._dts[dt['image_id'], dt['category_id']].append(dt)

    def compute_iou(self, imgId, catId):
        p = self.params
        gt = self._gts[imgId, catId]
        dt = self._dts[imgId, catId]
        if len(gt) == 0 and len(dt) == 0:
            return []
        inds = stable_argsort([-d['score'] for d in dt])
        dt = [dt[i] for i in inds]
        if len(dt) > p.maxDets[-1]:
            dt = dt[0:p.maxDets[-1]]
        key = 'segmentation' if p.iouType == 'segm' else 'bbox'
        g = [g[key] for g in gt]
        d = [d[key] for d in dt]
        iscrowd = [int(o['iscrowd']) for o in gt]
        if len(d) == 0 or len(g) == 0:
            return []
        return rle_iou(d, g, iscrowd) if p.iouType == 'segm' else bb_iou(d, g, iscrowd)

    def evaluate_img(self, imgId, catId, aRng, maxDet):
        p = self.params
        gt = self._gts[imgId, catId]
        dt = self._dts[imgId, catId]
        if len(gt) == 0 and len(dt) == 0:
            return None
        for g in gt:
            if g['ignore'] or (g['area'] < aRng[0] or g['area'] > aRng[1]):
                g['_ignore'] = 1
            else:
                g['_ignore'] = 0
        gtind = stable_argsort([g['_ignore'] for g in gt])
        gt = [gt[i] for i in gtind]
        dtind = stable_argsort([-d['score'] for d in dt])
        dt = [dt[i] for i in dtind[0:maxDet]]
        iscrowd = [int(o['iscrowd']) for o in gt]
        ious0 = self.ious[imgId, catId]
        ious = [[row[i] for i in gtind] for row in ious0] if len(ious0) > 0 else ious0
        T = len(p.iouThrs)
        G = len(gt)
        D = len(dt)
        gtm = [[0] * G for _ in range(T)]
        dtm = [[0] * D for _ in range(T)]
        gtIg = [g['_ignore'] for g in gt]
        dtIg = [[0] * D for _ in range(T)]
        if not len(ious) == 0:
            for tind, t in enumerate(p.iouThrs):
                for dind, d in enumerate(dt):
                    iou = min([t, 1 - 1e-10])
                    m = -1
                    for gind, g in enumerate(gt):
                        if gtm[tind][gind] > 0 and not iscrowd[gind]:
                            continue
                        if m > -1 and gtIg[m] == 0 and gtIg[gind] == 1:
                            break
                        if ious[dind][gind] < iou:
                            continue
                        iou = ious[dind][gind]
                        m = gind
                    if m == -1:
                        continue
                    dtIg[tind][dind] = gtIg[m]
                    dtm[tind][dind] = gt[m]['id']
                    gtm[tind][m] = d['id']
        a = [d['area'] < aRng[0] or d['area'] > aRng[1] for d in dt]
        dtIg = [[bool(dtIg[t][i]) or (dtm[t][i] == 0 and a[i]) for i in range(D)] for t in range(T)]
        return {
            'image_id': imgId, 'category_id': catId, 'aRng': aRng, 'maxDet': maxDet,
            'dtIds': [d['id'] for d in dt], 'gtIds': [g['id'] for g in gt],
            'dtMatches': dtm, 'gtMatches': gtm, 'dtScores': [d['score'] for d in dt],
            'gtIgnore': gtIg, 'dtIgnore': dtIg,
        }

    def evaluate(self):
        p = self.params
        p.maxDets = sorted(p.maxDets)
        self.prepare()
        catIds = p.catIds
        self.ious = {(imgId, catId): self.compute_iou(imgId, catId)
                     for imgId in p.imgIds for catId in catIds}
        maxDet = p.maxDets[-1]
        self.evalImgs = [self.evaluate_img(imgId, catId, areaRng, maxDet)
                         for catId in catIds for areaRng in p.areaRng for imgId in p.imgIds]

    def accumulate(self):
        p = self.params
        T = len(p.iouThrs)
        R = len(p.recThrs)
        K = len(p.catIds)
        A = len(p.areaRng)
        M = len(p.maxDets)
        # precision[t][r][k][a][m], recall[t][k][a][m]
        precision = [[[[[-1.0] * M for _ in range(A)] for _ in range(K)] for _ in range(R)] for _ in range(T)]
        recall = [[[[-1.0] * M for _ in range(A)] for _ in range(K)] for _ in range(T)]
        I0 = len(p.imgIds)
        A0 = len(p.areaRng)
        for k in range(K):
            Nk = k * A0 * I0
            for a in range(A):
                Na = a * I0
                for m, maxDet in enumerate(p.maxDets):
                    E = [self.evalImgs[Nk + Na + i] for i in range(I0)]
                    E = [e for e in E if e is not None]
                    if len(E) == 0:
                        continue
                    dtScores = [s for e in E for s in e['dtScores'][0:maxDet]]
                    inds = stable_argsort([-s for s in dtScores])
                    dtm = [[v for e in E for v in e['dtMatches'][t][0:maxDet]] for t in range(T)]
                    dtm = [[row[i] for i in inds] for row in dtm]
                    dtIg = [[v for e in E for v in e['dtIgnore'][t][0:maxDet]] for t in range(T)]
                    dtIg = [[row[i] for i in inds] for row in dtIg]
                    gtIg = [v for e in E for v in e['gtIgnore']]
                    npig = sum(1 for v in gtIg if v == 0)
                    if npig == 0:
                        continue
                    for t in range(T):
                        tp_sum = []
                        fp_sum = []
                        tp = 0.0
                        fp = 0.0
                        for i in range(len(inds)):
                            if dtm[t][i] and not dtIg[t][i]:
                                tp += 1
                            if not dtm[t][i] and not dtIg[t][i]:
                                fp += 1
                            tp_sum.append(tp)
                            fp_sum.append(fp)
                        nd = len(tp_sum)
                        rc = [x / npig for x in tp_sum]
                        pr = [x / (y + x + EPS) for x, y in zip(tp_sum, fp_sum)]
                        q = [0.0] * R
                        recall[t][k][a][m] = rc[-1] if nd else 0
                        for i in range(nd - 1, 0, -1):
                            if pr[i] > pr[i - 1]:
                                pr[i - 1] = pr[i]
                        for ri, rt in enumerate(p.recThrs):
                            pi = bisect.bisect_left(rc, rt)
                            if pi >= nd:
                                break      # the IndexError that ends the try block
                            q[ri] = pr[pi]
                        for ri in range(R):
                            precision[t][ri][k][a][m] = q[ri]
        self.precision = precision
        self.recall = recall

    def _summarize(self, ap=1, iouThr=None, areaRng='all', maxDets=100, k=None):
        p = self.params
        aind = [i for i, aRng in enumerate(p.areaRngLbl) if aRng == areaRng]
        mind = [i for i, mDet in enumerate(p.maxDets) if mDet == maxDets]
        tind = range(len(p.iouThrs)) if iouThr is None else [i for i, t in enumerate(p.iouThrs) if t == iouThr]
        kind = range(len(p.catIds)) if k is None else [k]
        if len(tind) == 0:
            return None
        vals = []
        for t in tind:
            for kk in kind:
                for a in aind:
                    for m in mind:
                        if ap == 1:
                            vals.extend(self.precision[t][r][kk][a][m] for r in range(len(p.recThrs)))
                        else:
                            vals.append(self.recall[t][kk][a][m])
        vals = [v for v in vals if v > -1]
        return -1 if len(vals) == 0 else sum(vals) / len(vals)

    def summarize(self, k=None):
        md = self.params.maxDets
        s = self._summarize
        return {
            'ap': s(1, maxDets=md[2], k=k),
            'ap50': s(1, iouThr=.5, maxDets=md[2], k=k),
            'ap75': s(1, iouThr=.75, maxDets=md[2], k=k),
            'ap_small': s(1, areaRng='small', maxDets=md[2], k=k),
            'ap_medium': s(1, areaRng='medium', maxDets=md[2], k=k),
            'ap_large': s(1, areaRng='large', maxDets=md[2], k=k),
            'ar1': s(0, maxDets=md[0], k=k),
            'ar10': s(0, maxDets=md[1], k=k),
            'ar100': s(0, maxDets=md[2], k=k),
            'ar_small': s(0, areaRng='small', maxDets=md[2], k=k),
            'ar_medium': s(0, areaRng='medium', maxDets=md[2], k=k),
            'ar_large': s(0, areaRng='large', maxDets=md[2], k=k),
        }

    def counts50(self, k):
        """TP, FP, FN at IoU 0.5, area 'all', the largest maxDets."""
        p = self.params
        if 0.5 not in p.iouThrs:
            return None, None, None
        t = p.iouThrs.index(0.5)
        I0 = len(p.imgIds)
        tp = fp = npig = 0
        for i in range(I0):
            e = self.evalImgs[k * len(p.areaRng) * I0 + i]
            if e is None:
                continue
            for j in range(len(e['dtIds'])):
                if e['dtIgnore'][t][j]:
                    continue
                if e['dtMatches'][t][j]:
                    tp += 1
                else:
                    fp += 1
            npig += sum(1 for v in e['gtIgnore'] if v == 0)
        return tp, fp, npig - tp

    def matches50(self):
        """Per detection at IoU 0.5, area 'all': (detection id, matched gt id or 0)."""
        p = self.params
        t = p.iouThrs.index(0.5)
        I0 = len(p.imgIds)
        out = []
        for k in range(len(p.catIds)):
            for i in range(I0):
                e = self.evalImgs[k * len(p.areaRng) * I0 + i]
                if e is None:
                    continue
                out.extend([d, int(g)] for d, g in zip(e['dtIds'], e['dtMatches'][t]))
        return out


def main():
    doc = json.load(sys.stdin)
    params = Params(doc.get('iou_thresholds'), doc.get('max_detections'))
    gt = [dict(a) for a in doc['annotations']]
    dt = load_results(doc['results'])
    ev = Evaluator(gt, dt, [i['id'] for i in doc['images']], [c['id'] for c in doc['categories']], params)
    ev.evaluate()
    ev.accumulate()
    stats = {'': ev.summarize()}
    for k, cat in enumerate(params.catIds):
        stats[cat] = ev.summarize(k)
        stats[cat]['tp50'], stats[cat]['fp50'], stats[cat]['fn50'] = ev.counts50(k)
        stats[cat]['gt_count'] = sum(1 for a in gt if a['category_id'] == cat and a['image_id'] in set(params.imgIds))
        stats[cat]['dt_count'] = sum(1 for a in dt if a['category_id'] == cat and a['image_id'] in set(params.imgIds))
    out = {'stats': stats}
    if 0.5 in params.iouThrs:
        out['matches'] = ev.matches50()
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
