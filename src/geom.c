/*
 * geom.c — exact plane geometry of polygons.
 *
 * The area of the intersection of two polygons A and B is computed from the
 * boundary of A ∩ B, without building the intersection polygon: by Green's
 * theorem the area of a region is half the sum of cross(p, q) over its
 * oriented boundary edges p -> q, and the boundary of A ∩ B is made of the
 * pieces of A's edges that lie inside B and the pieces of B's edges that
 * lie inside A.  So each edge of A is cut where B's edges cross it, every
 * piece whose midpoint is inside B (even-odd rule) is summed, and likewise
 * for B against A.  Both rings are counterclockwise.  A piece that lies on
 * the other polygon's boundary (edges that overlap along a line) is counted
 * once when both polygons are on the same side of it (edges in the same
 * direction: it bounds the intersection) and not at all when they are on
 * opposite sides (the polygons only touch there).  This handles concave
 * polygons, holes between lobes, touching, nested and identical polygons
 * exactly, and costs O(n·m) for n and m points, with no triangulation.
 *
 * Limits: the answer is exact for simple polygons (no self-intersection),
 * up to the rounding of double arithmetic.  Edges closer than GEOM_EPS to
 * being on one line are treated as overlapping, which moves the result by
 * at most GEOM_EPS times their length.  For a self-intersecting polygon the
 * pieces are still classified by the even-odd rule, but the signed sums of
 * its lobes of opposite orientation cancel, so its area and intersections
 * are those of Green's formula, not of the region a person would shade.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"

#include "geom.h"
#include "shapes.h"

/*
 * Normalized units: 1e-10 is 3e-6 of a pixel of the largest mask and far
 * below float4's spacing near 1 (6e-8), yet far above double's rounding.
 */
#define GEOM_EPS 1e-10
/* Tolerance on the edge parameter when accepting a crossing. */
#define PARAM_EPS 1e-12

/* ------------------------------------------------------------ building */

/*
 * Whether b is within GEOM_EPS of the line through a and c (or they are
 * all within GEOM_EPS of each other).  The cheap test first: every length
 * is at most sqrt(2) in the unit square.
 */
static bool
collinear3(double ax, double ay, double bx, double by, double cx, double cy)
{
	double		cr = fabs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
	double		l;

	if (cr > GEOM_EPS * 1.5)
		return false;
	l = Max(hypot(bx - ax, by - ay), Max(hypot(cx - ax, cy - ay), hypot(cx - bx, cy - by)));
	return cr <= GEOM_EPS * l;
}

/*
 * Drops repeated points, points in the middle of a straight run, and the
 * tips of spikes (an edge that goes out and comes straight back): none of
 * them changes the region, but spikes would make one polygon's edges lie on
 * each other, which the intersection's boundary pieces cannot classify.
 */
static int
ring_simplify(double *x, double *y, int n)
{
	int			m = 0;
	int			i;
	bool		changed = true;

	for (i = 0; i < n; i++)
	{
		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (m > 0 && x[i] == x[m - 1] && y[i] == y[m - 1])
			continue;
		while (m >= 2 && collinear3(x[m - 2], y[m - 2], x[m - 1], y[m - 1], x[i], y[i]))
			m--;
		if (m > 0 && x[i] == x[m - 1] && y[i] == y[m - 1])
			continue;
		x[m] = x[i];
		y[m] = y[i];
		m++;
	}
	/* the same across the closing edge */
	while (changed && m >= 3)
	{
		changed = false;
		if (x[m - 1] == x[0] && y[m - 1] == y[0])
			m--, changed = true;
		else if (collinear3(x[m - 2], y[m - 2], x[m - 1], y[m - 1], x[0], y[0]))
			m--, changed = true;
		else if (collinear3(x[m - 1], y[m - 1], x[0], y[0], x[1], y[1]))
		{
			memmove(x, x + 1, (m - 1) * sizeof(double));
			memmove(y, y + 1, (m - 1) * sizeof(double));
			m--, changed = true;
		}
	}
	return m;
}

/*
 * Twice the signed area of a simplified ring, relative to its first point
 * so that the terms stay small.
 */
static double
ring_twice_signed_area(const double *x, const double *y, int n)
{
	double		s = 0.0;
	int			i;

	for (i = 0; i < n; i++)
	{
		int			j = (i + 1) % n;

		s += (x[i] - x[0]) * (y[j] - y[0]) - (x[j] - x[0]) * (y[i] - y[0]);
	}
	return s;
}

static void
ring_finish(Ring *r)
{
	int			n;
	int			i;
	double		s;

	n = r->n = ring_simplify(r->x, r->y, r->n);
	if (n == 0)
	{
		r->minx = r->maxx = r->miny = r->maxy = 0;
		r->area = 0;
		return;
	}

	r->minx = r->maxx = r->x[0];
	r->miny = r->maxy = r->y[0];
	for (i = 1; i < n; i++)
	{
		r->minx = Min(r->minx, r->x[i]);
		r->maxx = Max(r->maxx, r->x[i]);
		r->miny = Min(r->miny, r->y[i]);
		r->maxy = Max(r->maxy, r->y[i]);
	}
	s = ring_twice_signed_area(r->x, r->y, n);
	if (s < 0)
	{
		for (i = 0; i < n / 2; i++)
		{
			double		t;

			t = r->x[i];
			r->x[i] = r->x[n - 1 - i];
			r->x[n - 1 - i] = t;
			t = r->y[i];
			r->y[i] = r->y[n - 1 - i];
			r->y[n - 1 - i] = t;
		}
	}
	r->area = fabs(s) / 2.0;
}

/* The stored points as the decimals people wrote (x = col, y = row). */
static void
polygon_decimals(const Polygon *poly, double *x, double *y)
{
	int			n = POLYGON_NPOINTS(poly);
	int			i;

	for (i = 0; i < n; i++)
	{
		x[i] = shape_float4_decimal(poly->points[i].col);
		y[i] = shape_float4_decimal(poly->points[i].row);
	}
}

void
ring_from_polygon(const Polygon *poly, Ring *out)
{
	int			n = POLYGON_NPOINTS(poly);

	out->n = n;
	out->x = palloc(n * sizeof(double));
	out->y = palloc(n * sizeof(double));
	polygon_decimals(poly, out->x, out->y);
	ring_finish(out);
}

/*
 * The area ring_from_polygon gives, bit for bit (the same points, the same
 * simplification, the same sum), without what only the overlap tests need
 * (the box, the orientation) and, for the usual small polygon, without
 * allocating: area() runs once per row over whole tables.
 */
double
polygon_ring_area(const Polygon *poly)
{
	int			n = POLYGON_NPOINTS(poly);
	double		xbuf[RING_AREA_STACK_POINTS];
	double		ybuf[RING_AREA_STACK_POINTS];
	double	   *x = xbuf;
	double	   *y = ybuf;

	if (n > RING_AREA_STACK_POINTS)
	{
		x = palloc(n * sizeof(double));
		y = palloc(n * sizeof(double));
	}
	polygon_decimals(poly, x, y);
	n = ring_simplify(x, y, n);
	return fabs(ring_twice_signed_area(x, y, n)) / 2.0;
}

void
ring_from_bbox(const BBox *box, Ring *out)
{
	double		t = shape_float4_decimal(box->top_row);
	double		l = shape_float4_decimal(box->left_col);
	double		b = shape_float4_decimal(box->bottom_row);
	double		r = shape_float4_decimal(box->right_col);

	out->n = 4;
	out->x = palloc(4 * sizeof(double));
	out->y = palloc(4 * sizeof(double));
	out->x[0] = l;
	out->y[0] = t;
	out->x[1] = l;
	out->y[1] = b;
	out->x[2] = r;
	out->y[2] = b;
	out->x[3] = r;
	out->y[3] = t;
	ring_finish(out);
}

/* ------------------------------------------------------------ helpers */

static inline bool
boxes_apart(double aminx, double aminy, double amaxx, double amaxy,
			double bminx, double bminy, double bmaxx, double bmaxy, double eps)
{
	return amaxx < bminx - eps || bmaxx < aminx - eps ||
		amaxy < bminy - eps || bmaxy < aminy - eps;
}

/* Even-odd test of a point not on the boundary (boundary points: either answer). */
static bool
inside_evenodd(const Ring *r, double px, double py)
{
	bool		in = false;
	int			i;
	int			j;

	if (px < r->minx || px > r->maxx || py < r->miny || py > r->maxy)
		return false;
	for (i = 0, j = r->n - 1; i < r->n; j = i++)
	{
		if ((r->y[i] > py) != (r->y[j] > py))
		{
			double		xint = r->x[i] + (py - r->y[i]) * (r->x[j] - r->x[i]) /
				(r->y[j] - r->y[i]);

			if (px < xint)
				in = !in;
		}
	}
	return in;
}

/* Distance from (px, py) to the segment a -> b. */
static double
point_segment_distance(double px, double py, double ax, double ay, double bx, double by)
{
	double		dx = bx - ax;
	double		dy = by - ay;
	double		len2 = dx * dx + dy * dy;
	double		t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;

	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/* ------------------------------------------------- intersection area */

/* Where an edge of the other ring lies along the current edge. */
typedef struct Overlap
{
	double		lo;
	double		hi;
	bool		same;			/* same direction */
} Overlap;

/* Cut points and overlaps of one edge, reused from edge to edge. */
typedef struct Cuts
{
	double	   *t;
	int			nt;
	int			maxt;
	Overlap    *ov;
	int			nov;
	int			maxov;
} Cuts;

static inline void
add_cut(Cuts *c, double t)
{
	if (c->nt == c->maxt)
	{
		c->maxt *= 2;
		c->t = repalloc(c->t, c->maxt * sizeof(double));
	}
	c->t[c->nt++] = t;
}

static inline void
add_overlap(Cuts *c, double lo, double hi, bool same)
{
	if (c->nov == c->maxov)
	{
		c->maxov *= 2;
		c->ov = repalloc(c->ov, c->maxov * sizeof(Overlap));
	}
	c->ov[c->nov].lo = lo;
	c->ov[c->nov].hi = hi;
	c->ov[c->nov].same = same;
	c->nov++;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * Records where edge q0 -> q1 meets edge p0 -> p1, as parameters along
 * p0 -> p1.  The "nearly on one line" test is symmetric in the two edges,
 * so both passes agree about which edges overlap.
 */
static void
cut_edge(Cuts *c, double p0x, double p0y, double p1x, double p1y,
		 double q0x, double q0y, double q1x, double q1y)
{
	double		dpx = p1x - p0x;
	double		dpy = p1y - p0y;
	double		dqx = q1x - q0x;
	double		dqy = q1y - q0y;
	double		len2p = dpx * dpx + dpy * dpy;
	double		lenp = sqrt(len2p);
	double		lenq = sqrt(dqx * dqx + dqy * dqy);
	double		dq0 = fabs(dpx * (q0y - p0y) - dpy * (q0x - p0x)) / lenp;
	double		dq1 = fabs(dpx * (q1y - p0y) - dpy * (q1x - p0x)) / lenp;
	double		dp0 = fabs(dqx * (p0y - q0y) - dqy * (p0x - q0x)) / lenq;
	double		dp1 = fabs(dqx * (p1y - q0y) - dqy * (p1x - q0x)) / lenq;
	double		denom;
	double		t;
	double		u;

	if (Max(dq0, dq1) <= GEOM_EPS || Max(dp0, dp1) <= GEOM_EPS)
	{
		double		t0 = ((q0x - p0x) * dpx + (q0y - p0y) * dpy) / len2p;
		double		t1 = ((q1x - p0x) * dpx + (q1y - p0y) * dpy) / len2p;
		double		lo = Max(0.0, Min(t0, t1));
		double		hi = Min(1.0, Max(t0, t1));

		if (hi > lo)
		{
			add_cut(c, lo);
			add_cut(c, hi);
			add_overlap(c, lo, hi, dpx * dqx + dpy * dqy > 0);
		}
		else if (hi == lo)
			add_cut(c, lo);
		return;
	}
	denom = dpx * dqy - dpy * dqx;
	if (denom == 0.0)
		return;
	t = ((q0x - p0x) * dqy - (q0y - p0y) * dqx) / denom;
	u = ((q0x - p0x) * dpy - (q0y - p0y) * dpx) / denom;
	if (t >= -PARAM_EPS && t <= 1 + PARAM_EPS && u >= -PARAM_EPS && u <= 1 + PARAM_EPS)
		add_cut(c, t < 0 ? 0 : t > 1 ? 1 : t);
}

/*
 * Twice the area contributed by P's edge pieces inside Q, relative to the
 * point (cx, cy).  first: P is the ring whose pieces on Q's boundary count
 * (when in the same direction).
 */
static double
edge_pass(const Ring *P, const Ring *Q, bool first, double cx, double cy, Cuts *c)
{
	double		sum = 0.0;
	int			i;

	for (i = 0; i < P->n; i++)
	{
		int			i1 = (i + 1) % P->n;
		double		p0x = P->x[i],
					p0y = P->y[i],
					p1x = P->x[i1],
					p1y = P->y[i1];
		double		dpx = p1x - p0x;
		double		dpy = p1y - p0y;
		double		eminx = Min(p0x, p1x),
					emaxx = Max(p0x, p1x),
					eminy = Min(p0y, p1y),
					emaxy = Max(p0y, p1y);
		int			j;
		int			k;

		CHECK_FOR_INTERRUPTS();
		/* an edge away from Q's box is outside Q: it adds nothing */
		if (boxes_apart(eminx, eminy, emaxx, emaxy,
						Q->minx, Q->miny, Q->maxx, Q->maxy, GEOM_EPS))
			continue;
		c->nt = 0;
		c->nov = 0;
		add_cut(c, 0.0);
		add_cut(c, 1.0);
		for (j = 0; j < Q->n; j++)
		{
			int			j1 = (j + 1) % Q->n;

			if (boxes_apart(eminx, eminy, emaxx, emaxy,
							Min(Q->x[j], Q->x[j1]), Min(Q->y[j], Q->y[j1]),
							Max(Q->x[j], Q->x[j1]), Max(Q->y[j], Q->y[j1]), GEOM_EPS))
				continue;
			cut_edge(c, p0x, p0y, p1x, p1y, Q->x[j], Q->y[j], Q->x[j1], Q->y[j1]);
		}
		if (c->nt > 2)
			qsort(c->t, c->nt, sizeof(double), cmp_double);
		for (k = 0; k + 1 < c->nt; k++)
		{
			double		t0 = c->t[k];
			double		t1 = c->t[k + 1];
			double		tm = (t0 + t1) / 2;
			bool		include;
			int			o;

			if (!(t1 > t0))
				continue;
			for (o = 0; o < c->nov; o++)
				if (c->ov[o].lo <= tm && tm <= c->ov[o].hi)
					break;
			if (o < c->nov)
				include = first && c->ov[o].same;
			else
				include = inside_evenodd(Q, p0x + tm * dpx, p0y + tm * dpy);
			if (include)
			{
				double		ax = p0x + t0 * dpx - cx,
							ay = p0y + t0 * dpy - cy,
							bx = (t1 == 1.0 ? p1x : p0x + t1 * dpx) - cx,
							by = (t1 == 1.0 ? p1y : p0y + t1 * dpy) - cy;

				sum += ax * by - bx * ay;
			}
		}
	}
	return sum;
}

double
ring_intersection_area(const Ring *a, const Ring *b)
{
	Cuts		c;
	double		cx;
	double		cy;
	double		twice;
	double		area;

	/* fewer than 3 points left after simplifying: no area to share */
	if (a->n < 3 || b->n < 3 ||
		boxes_apart(a->minx, a->miny, a->maxx, a->maxy,
					b->minx, b->miny, b->maxx, b->maxy, 0.0))
		return 0.0;
	c.maxt = 16;
	c.t = palloc(c.maxt * sizeof(double));
	c.maxov = 4;
	c.ov = palloc(c.maxov * sizeof(Overlap));
	/* a point of the shared box keeps the cross products small */
	cx = Max(a->minx, b->minx);
	cy = Max(a->miny, b->miny);
	twice = edge_pass(a, b, true, cx, cy, &c) + edge_pass(b, a, false, cx, cy, &c);
	pfree(c.t);
	pfree(c.ov);
	area = twice / 2.0;
	/* rounding must not take it outside what is possible */
	area = Max(area, 0.0);
	area = Min(area, Min(a->area, b->area));
	return area;
}

double
ring_iou(const Ring *a, const Ring *b)
{
	double		inter = ring_intersection_area(a, b);
	double		uni = a->area + b->area - inter;

	if (!(inter > 0.0) || !(uni > 0.0))
		return 0.0;
	return Min(inter / uni, 1.0);
}

/* ----------------------------------------------------- overlap, contains */

/* Whether the closed segments p and q share a point (within GEOM_EPS). */
static bool
segments_touch(double p0x, double p0y, double p1x, double p1y,
			   double q0x, double q0y, double q1x, double q1y)
{
	double		o1 = (p1x - p0x) * (q0y - p0y) - (p1y - p0y) * (q0x - p0x);
	double		o2 = (p1x - p0x) * (q1y - p0y) - (p1y - p0y) * (q1x - p0x);
	double		o3 = (q1x - q0x) * (p0y - q0y) - (q1y - q0y) * (p0x - q0x);
	double		o4 = (q1x - q0x) * (p1y - q0y) - (q1y - q0y) * (p1x - q0x);

	if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
		((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
		return true;
	/* otherwise they share a point only if an endpoint is on the other segment */
	return point_segment_distance(q0x, q0y, p0x, p0y, p1x, p1y) <= GEOM_EPS ||
		point_segment_distance(q1x, q1y, p0x, p0y, p1x, p1y) <= GEOM_EPS ||
		point_segment_distance(p0x, p0y, q0x, q0y, q1x, q1y) <= GEOM_EPS ||
		point_segment_distance(p1x, p1y, q0x, q0y, q1x, q1y) <= GEOM_EPS;
}

bool
ring_contains_point(const Ring *r, double x, double y)
{
	int			i;

	if (x < r->minx - GEOM_EPS || x > r->maxx + GEOM_EPS ||
		y < r->miny - GEOM_EPS || y > r->maxy + GEOM_EPS)
		return false;
	for (i = 0; i < r->n; i++)
	{
		int			j = (i + 1) % r->n;

		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (point_segment_distance(x, y, r->x[i], r->y[i], r->x[j], r->y[j]) <= GEOM_EPS)
			return true;
	}
	return inside_evenodd(r, x, y);
}

bool
ring_overlaps(const Ring *a, const Ring *b)
{
	int			i;
	int			j;

	if (boxes_apart(a->minx, a->miny, a->maxx, a->maxy,
					b->minx, b->miny, b->maxx, b->maxy, GEOM_EPS))
		return false;
	for (i = 0; i < a->n; i++)
	{
		int			i1 = (i + 1) % a->n;
		double		eminx = Min(a->x[i], a->x[i1]),
					emaxx = Max(a->x[i], a->x[i1]),
					eminy = Min(a->y[i], a->y[i1]),
					emaxy = Max(a->y[i], a->y[i1]);

		CHECK_FOR_INTERRUPTS();
		if (boxes_apart(eminx, eminy, emaxx, emaxy,
						b->minx, b->miny, b->maxx, b->maxy, GEOM_EPS))
			continue;
		for (j = 0; j < b->n; j++)
		{
			int			j1 = (j + 1) % b->n;

			if (boxes_apart(eminx, eminy, emaxx, emaxy,
							Min(b->x[j], b->x[j1]), Min(b->y[j], b->y[j1]),
							Max(b->x[j], b->x[j1]), Max(b->y[j], b->y[j1]), GEOM_EPS))
				continue;
			if (segments_touch(a->x[i], a->y[i], a->x[i1], a->y[i1],
							   b->x[j], b->y[j], b->x[j1], b->y[j1]))
				return true;
		}
	}
	/* no boundaries meet: overlap only if one lies inside the other */
	return inside_evenodd(b, a->x[0], a->y[0]) || inside_evenodd(a, b->x[0], b->y[0]);
}

/* ---------------------------------------------- quick polygon-box test */

/*
 * A stored float4 below 1 lies within half a float4 step (3e-8) of the
 * decimal the exact test reads, and the exact test counts GEOM_EPS as
 * touching.  A point farther than this from a boundary is on the same side
 * of it in both readings.
 */
#define QUICK_MARGIN 1e-6

/* Whether segment p0 -> p1 meets the closed rectangle (Liang-Barsky). */
static bool
segment_meets_rect(double p0x, double p0y, double p1x, double p1y,
				   double x0, double y0, double x1, double y1)
{
	double		d[4] = {-(p1x - p0x), p1x - p0x, -(p1y - p0y), p1y - p0y};
	double		q[4] = {p0x - x0, x1 - p0x, p0y - y0, y1 - p0y};
	double		t0 = 0.0;
	double		t1 = 1.0;

	for (int k = 0; k < 4; k++)
	{
		double		r;

		if (d[k] == 0.0)
		{
			if (q[k] < 0.0)
				return false;
			continue;
		}
		r = q[k] / d[k];
		if (d[k] < 0.0)
			t0 = Max(t0, r);
		else
			t1 = Min(t1, r);
		if (t0 > t1)
			return false;
	}
	return true;
}

/* Whether (px, py) is within QUICK_MARGIN of segment a -> b. */
static bool
near_segment(double px, double py, double ax, double ay, double bx, double by)
{
	if (px < Min(ax, bx) - QUICK_MARGIN || px > Max(ax, bx) + QUICK_MARGIN ||
		py < Min(ay, by) - QUICK_MARGIN || py > Max(ay, by) + QUICK_MARGIN)
		return false;
	return point_segment_distance(px, py, ax, ay, bx, by) <= QUICK_MARGIN;
}

/* Flips *in when the rightward ray from (px, py) crosses edge i -> j. */
static inline void
ray_cross(double px, double py, double xi, double yi, double xj, double yj, bool *in)
{
	if ((yi > py) != (yj > py) && px < xi + (py - yi) * (xj - xi) / (yj - yi))
		*in = !*in;
}

/*
 * Whether a test point is inside the polygon and farther than the margin
 * from every edge, so inside in the exact reading too.
 */
static bool
surely_inside(const Polygon *p, double px, double py)
{
	int			n = POLYGON_NPOINTS(p);
	bool		in = false;
	int			i;
	int			j;

	for (i = 0, j = n - 1; i < n; j = i++)
	{
		double		xi = p->points[i].col,
					yi = p->points[i].row,
					xj = p->points[j].col,
					yj = p->points[j].row;

		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (near_segment(px, py, xi, yi, xj, yj))
			return false;
		ray_cross(px, py, xi, yi, xj, yj, &in);
	}
	return in;
}

/*
 * One pass over the edges: a vertex inside the box is a shared point (a
 * float4 comparison, which keeps the decimals' order); an edge that comes
 * near the box is noted; and the box's centre is tested by the even-odd
 * rule.  No edge near the box: the box is wholly inside or wholly outside,
 * as its centre is.  Otherwise a corner of the box inside the polygon, far
 * from every edge, is a shared point, and what is left (an edge crossing
 * the box with no vertex or corner inside) goes to the exact test.
 * Nothing is allocated and no float4 is turned into its decimal, which is
 * what makes the exact test dear.
 */
GeomAnswer
polygon_box_overlap_quick(const Polygon *p, const BBox *box)
{
	int			n = POLYGON_NPOINTS(p);
	double		l = box->left_col,
				t = box->top_row,
				r = box->right_col,
				b = box->bottom_row;
	double		cx = (l + r) / 2;
	double		cy = (t + b) / 2;
	bool		in = false;
	bool		near = false;
	int			i;
	int			j;

	for (i = 0, j = n - 1; i < n; j = i++)
	{
		const PolyPoint *pi = &p->points[i];
		double		xi = pi->col,
					yi = pi->row,
					xj = p->points[j].col,
					yj = p->points[j].row;

		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (pi->row >= box->top_row && pi->row <= box->bottom_row &&
			pi->col >= box->left_col && pi->col <= box->right_col)
			return GEOM_YES;
		if (!near &&
			!boxes_apart(Min(xi, xj), Min(yi, yj), Max(xi, xj), Max(yi, yj), l, t, r, b, QUICK_MARGIN) &&
			segment_meets_rect(xi, yi, xj, yj, l - QUICK_MARGIN, t - QUICK_MARGIN,
							   r + QUICK_MARGIN, b + QUICK_MARGIN))
			near = true;
		ray_cross(cx, cy, xi, yi, xj, yj, &in);
	}
	if (!near)
		return in ? GEOM_YES : GEOM_NO;
	if (surely_inside(p, cx, cy) || surely_inside(p, l, t) || surely_inside(p, r, t) ||
		surely_inside(p, l, b) || surely_inside(p, r, b))
		return GEOM_YES;
	return GEOM_UNSURE;
}
