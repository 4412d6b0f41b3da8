/*
 * patch_value.c — annotations._patch_value and _patch_enum: the new value
 * of one column of a patched annotation, picked out of the batch's arrays
 * by the row's id.
 *
 * On a Citus cluster a patch's UPDATE names one table only, so that Citus
 * plans it on the app's local shard with its values as constants; a
 * second entry in FROM (the batch's arrays unnested) would send it through
 * the router planner, which writes the statement out as SQL with every
 * array in it and parses it again at each call. So each row finds its own
 * new values: the ids of the batch come sorted, and a binary search finds
 * the row's position in them. Taking the arrays apart costs a pass over
 * them; where they are the same for every row of the statement (a
 * constant or a parameter) that pass is made once and kept.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

/* The batch's ids and one column's new values, taken apart. */
typedef struct PickArrays
{
	int			n;
	Datum	   *ids;
	Datum	   *values;
	bool	   *nulls;
} PickArrays;

static int
id_cmp(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a);
	text	   *y = DatumGetTextPP(b);
	int			lx = VARSIZE_ANY_EXHDR(x);
	int			ly = VARSIZE_ANY_EXHDR(y);
	int			c = memcmp(VARDATA_ANY(x), VARDATA_ANY(y), Min(lx, ly));

	return c != 0 ? c : (lx > ly) - (lx < ly);
}

static void
bad_arrays(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("annotations._patch_value: %s", why)));
}

/*
 * With enum_type valid, every value must be one of that enum's labels (the
 * values are their oids): what is picked goes into the row as it is.
 */
static void
check_enum_values(const PickArrays *pa, Oid enum_type)
{
	for (int i = 0; i < pa->n; i++)
	{
		HeapTuple	tup;
		bool		member;

		CHECK_FOR_INTERRUPTS();
		if (pa->nulls[i])
			continue;
		tup = SearchSysCache1(ENUMOID, pa->values[i]);
		member = HeapTupleIsValid(tup) &&
			((Form_pg_enum) GETSTRUCT(tup))->enumtypid == enum_type;
		if (HeapTupleIsValid(tup))
			ReleaseSysCache(tup);
		if (!member)
			bad_arrays(psprintf("the value at position %d is not a label of type %s", i + 1,
								format_type_be(enum_type)));
	}
}

/*
 * Takes the ids and values apart (in the current memory context, which
 * keeps them as long as they are used), and checks what a binary search
 * relies on: one dimension each, as many values as ids, ids without NULLs
 * in strictly increasing byte order.
 */
static void
pick_arrays_build(ArrayType *ids, ArrayType *values, Oid enum_type, PickArrays *pa)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	bool	   *idnulls;
	int			nvalues;

	if (ARR_NDIM(ids) > 1 || ARR_NDIM(values) > 1 || ARR_ELEMTYPE(ids) != TEXTOID)
		bad_arrays("the ids and the values must be one-dimensional arrays, the ids of text");
	deconstruct_array(ids, TEXTOID, -1, false, TYPALIGN_INT, &pa->ids, &idnulls, &pa->n);
	get_typlenbyvalalign(ARR_ELEMTYPE(values), &typlen, &typbyval, &typalign);
	deconstruct_array(values, ARR_ELEMTYPE(values), typlen, typbyval, typalign,
					  &pa->values, &pa->nulls, &nvalues);
	if (nvalues != pa->n)
		bad_arrays(psprintf("%d ids but %d values", pa->n, nvalues));
	for (int i = 0; i < pa->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (idnulls[i] || (i > 0 && id_cmp(pa->ids[i - 1], pa->ids[i]) >= 0))
			bad_arrays(psprintf("the ids must be distinct, in byte order and not NULL (at position %d)",
								i + 1));
	}
	if (OidIsValid(enum_type))
		check_enum_values(pa, enum_type);
}

/*
 * The arrays for this call: kept from the first row where they cannot
 * change within the statement, taken apart anew otherwise.
 */
static const PickArrays *
pick_arrays(FunctionCallInfo fcinfo, Oid enum_type)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;
	bool		keep = get_fn_expr_arg_stable(flinfo, 0) && get_fn_expr_arg_stable(flinfo, 2);
	PickArrays *pa = keep ? flinfo->fn_extra : NULL;
	MemoryContext old;

	if (pa != NULL)
		return pa;
	old = MemoryContextSwitchTo(keep ? flinfo->fn_mcxt : CurrentMemoryContext);
	pa = palloc(sizeof(PickArrays));
	pick_arrays_build(PG_GETARG_ARRAYTYPE_P_COPY(0), PG_GETARG_ARRAYTYPE_P_COPY(2), enum_type, pa);
	MemoryContextSwitchTo(old);
	if (keep)
		flinfo->fn_extra = pa;
	return pa;
}

/*
 * (ids, id, values, old): the value at id's position among ids, or old
 * where that value is NULL. An id the batch does not have is an error.
 */
static Datum
patch_pick(FunctionCallInfo fcinfo, Oid enum_type)
{
	const PickArrays *pa;
	Datum		id;
	int			lo = 0;
	int			hi;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		bad_arrays("the ids and the values must not be NULL");
	if (PG_ARGISNULL(1))
		bad_arrays("the row's id is NULL");
	pa = pick_arrays(fcinfo, enum_type);
	id = PG_GETARG_DATUM(1);
	hi = pa->n - 1;
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		int			c = id_cmp(pa->ids[mid], id);

		if (c == 0)
		{
			if (pa->nulls[mid])
				break;
			PG_RETURN_DATUM(pa->values[mid]);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	if (lo > hi)
		bad_arrays(psprintf("annotation \"%s\" is not among the ids", TextDatumGetCString(id)));
	if (PG_ARGISNULL(3))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(3));
}

PG_FUNCTION_INFO_V1(annotations_patch_value);

/* _patch_value(ids text[], id text, values anyarray, old anyelement) → anyelement */
Datum
annotations_patch_value(PG_FUNCTION_ARGS)
{
	return patch_pick(fcinfo, InvalidOid);
}

PG_FUNCTION_INFO_V1(annotations_patch_enum);

/*
 * _patch_enum(ids text[], id text, values oid[], old anyenum) → anyenum:
 * the values are the oids of the enum's labels (a kept statement's
 * parameters have built-in types only).
 */
Datum
annotations_patch_enum(PG_FUNCTION_ARGS)
{
	Oid			enum_type = get_fn_expr_argtype(fcinfo->flinfo, 3);

	if (!OidIsValid(enum_type) || !type_is_enum(enum_type))
		bad_arrays("the old value must be of an enum type");
	return patch_pick(fcinfo, enum_type);
}
