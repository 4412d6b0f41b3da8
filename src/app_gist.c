/*
 * app_gist.c — a GiST operator class for text equality, so that the
 * regions' geometry index can lead with app_id.
 *
 * A box search always happens within one app. With the box alone as the
 * index key, every search walks the boxes of every app that shares the
 * table. Leading the index with app_id lets the tree split by app first
 * (GiST chooses and splits on the first column, using the second only to
 * break ties), so a search only descends into its own app's subtree.
 *
 * Keys are 32-bit hashes of the text, kept as a [lo, hi] range packed into
 * one int8 (lo in the high half): a leaf holds [h, h], an internal key the
 * smallest range covering its children. Only equality is supported, and a
 * leaf match is rechecked against the heap, since two texts may share a
 * hash. Equality of text is byte equality only under a deterministic
 * collation, so other collations are refused rather than answered wrongly.
 */
#include "postgres.h"

#include "access/gist.h"
#include "access/stratnum.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(app_gist_compress);
PG_FUNCTION_INFO_V1(app_gist_consistent);
PG_FUNCTION_INFO_V1(app_gist_union);
PG_FUNCTION_INFO_V1(app_gist_penalty);
PG_FUNCTION_INFO_V1(app_gist_picksplit);
PG_FUNCTION_INFO_V1(app_gist_same);

static inline int64
hash_range_pack(uint32 lo, uint32 hi)
{
	return (int64) (((uint64) lo << 32) | (uint64) hi);
}

static inline uint32
hash_range_lo(int64 key)
{
	return (uint32) ((uint64) key >> 32);
}

static inline uint32
hash_range_hi(int64 key)
{
	return (uint32) ((uint64) key & 0xFFFFFFFF);
}

/* Width of a range, as a double so that penalties can compare it. */
static inline double
hash_range_width(int64 key)
{
	return (double) hash_range_hi(key) - (double) hash_range_lo(key);
}

static int64
hash_range_union(int64 a, int64 b)
{
	return hash_range_pack(Min(hash_range_lo(a), hash_range_lo(b)), Max(hash_range_hi(a), hash_range_hi(b)));
}

/* The hash of a text value under the index's collation. */
static uint32
text_key_hash(text *t, Oid collation)
{
	if (!OidIsValid(collation) || !get_collation_isdeterministic(collation))
		ereport(ERROR,
				(errcode(ERRCODE_INDETERMINATE_COLLATION),
				 errmsg("annotations.app_id_gist_ops needs a deterministic collation"),
				 errdetail("Equal texts must have equal bytes for the index to find them.")));
	return DatumGetUInt32(hash_any((unsigned char *) VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

/* Leaf values become [h, h]; internal keys are already ranges. */
Datum
app_gist_compress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *out;
	uint32		h;

	if (!entry->leafkey)
		PG_RETURN_POINTER(entry);
	h = text_key_hash(DatumGetTextPP(entry->key), PG_GET_COLLATION());
	out = (GISTENTRY *) palloc(sizeof(GISTENTRY));
	gistentryinit(*out, Int64GetDatum(hash_range_pack(h, h)), entry->rel, entry->page, entry->offset, false);
	PG_RETURN_POINTER(out);
}

/* Could a value equal to the query lie below this key? Leaves are rechecked. */
Datum
app_gist_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	text	   *query = PG_GETARG_TEXT_PP(1);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	int64		key = DatumGetInt64(entry->key);
	uint32		h;

	if (strategy != BTEqualStrategyNumber)
		elog(ERROR, "app_id_gist_ops: unsupported strategy %d", strategy);
	*recheck = true;
	h = text_key_hash(query, PG_GET_COLLATION());
	PG_RETURN_BOOL(hash_range_lo(key) <= h && h <= hash_range_hi(key));
}

Datum
app_gist_union(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	int		   *size = (int *) PG_GETARG_POINTER(1);
	int64		u = DatumGetInt64(entryvec->vector[0].key);

	for (int i = 1; i < entryvec->n; i++)
		u = hash_range_union(u, DatumGetInt64(entryvec->vector[i].key));
	*size = sizeof(int64);
	PG_RETURN_INT64(u);
}

/*
 * How much a subtree's range must widen to take the new key, plus a little
 * for how wide it already is: a subtree of exactly this app (width 0) costs
 * nothing, so an app's entries gather under their own subtrees instead of
 * under any wide range that happens to include their hash, and only there
 * does the box column break the tie.
 */
Datum
app_gist_penalty(PG_FUNCTION_ARGS)
{
	GISTENTRY  *orig = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *add = (GISTENTRY *) PG_GETARG_POINTER(1);
	float	   *penalty = (float *) (void *) PG_GETARG_POINTER(2);
	int64		o = DatumGetInt64(orig->key);
	double		grow = hash_range_width(hash_range_union(o, DatumGetInt64(add->key))) - hash_range_width(o);

	*penalty = (float) (grow + hash_range_width(o) * 1e-6);
	PG_RETURN_POINTER(penalty);
}

typedef struct SplitItem
{
	OffsetNumber offset;
	int64		key;
} SplitItem;

static int
split_item_cmp(const void *a, const void *b)
{
	const SplitItem *x = (const SplitItem *) a;
	const SplitItem *y = (const SplitItem *) b;
	uint32		xl = hash_range_lo(x->key),
				yl = hash_range_lo(y->key);

	if (xl != yl)
		return xl < yl ? -1 : 1;
	if (hash_range_hi(x->key) != hash_range_hi(y->key))
		return hash_range_hi(x->key) < hash_range_hi(y->key) ? -1 : 1;
	return 0;
}

/*
 * Sorted by range start, the entries are cut where neighbouring ranges are
 * furthest apart within the middle half, so each side keeps a contiguous,
 * narrow hash range and one app's entries are not scattered. When every
 * entry has the same key (one app fills the page), both sides get equal
 * keys and GiST splits on the next column (the box) instead.
 */
Datum
app_gist_picksplit(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1);
	OffsetNumber maxoff = entryvec->n - 1;
	int			n = maxoff;
	SplitItem  *items = palloc(sizeof(SplitItem) * n);
	int			cut,
				best_cut;
	double		best_gap = -1;
	int64		left = 0,
				right = 0;

	for (OffsetNumber i = FirstOffsetNumber; i <= maxoff; i = OffsetNumberNext(i))
	{
		items[i - 1].offset = i;
		items[i - 1].key = DatumGetInt64(entryvec->vector[i].key);
	}
	qsort(items, n, sizeof(SplitItem), split_item_cmp);

	best_cut = n / 2;
	for (cut = Max(1, n / 4); cut <= Min(n - 1, n - n / 4); cut++)
	{
		double		gap = (double) hash_range_lo(items[cut].key) - (double) hash_range_hi(items[cut - 1].key);

		if (gap > best_gap)
		{
			best_gap = gap;
			best_cut = cut;
		}
	}

	v->spl_left = palloc(sizeof(OffsetNumber) * n);
	v->spl_right = palloc(sizeof(OffsetNumber) * n);
	v->spl_nleft = 0;
	v->spl_nright = 0;
	for (int i = 0; i < n; i++)
	{
		if (i < best_cut)
		{
			left = v->spl_nleft == 0 ? items[i].key : hash_range_union(left, items[i].key);
			v->spl_left[v->spl_nleft++] = items[i].offset;
		}
		else
		{
			right = v->spl_nright == 0 ? items[i].key : hash_range_union(right, items[i].key);
			v->spl_right[v->spl_nright++] = items[i].offset;
		}
	}
	v->spl_ldatum = Int64GetDatum(left);
	v->spl_rdatum = Int64GetDatum(right);
	pfree(items);
	PG_RETURN_POINTER(v);
}

Datum
app_gist_same(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_INT64(0);
	int64		b = PG_GETARG_INT64(1);
	bool	   *result = (bool *) PG_GETARG_POINTER(2);

	*result = (a == b);
	PG_RETURN_POINTER(result);
}
