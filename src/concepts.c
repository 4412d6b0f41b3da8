/*
 * concepts.c — parse, normalize, merge and remove concept lists.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "concepts.h"
#include "json_read.h"

enum
{
	CK_ID, CK_NAME, CK_VALUE, CK_COUNT
};
static const char *const concept_keys[CK_COUNT] = {"id", "name", "value"};

static int
concepts_find(const ConceptList *list, const char *id)
{
	int			i;

	for (i = 0; i < list->n; i++)
		if (strcmp(list->items[i].id, id) == 0)
			return i;
	return -1;
}

void
concepts_parse(const JsonbValue *v, const char *path, ConceptList *out)
{
	int			n = jr_array_length(v, path);
	int			i;

	if (n > MAX_CONCEPTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: a concept list holds at most %d concepts, got %d", path, MAX_CONCEPTS, n)));
	out->n = 0;
	out->items = palloc0(sizeof(Concept) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		char	   *item_path = jr_index_path(path, i);
		JsonbValue	vals[CK_COUNT];
		bool		has[CK_COUNT];
		Concept    *c = &out->items[out->n];

		jr_object(jr_array_element(v, i), item_path, concept_keys, CK_COUNT, vals, has);
		if (!has[CK_ID])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: concept needs an \"id\"", item_path)));
		c->id = jr_id(&vals[CK_ID], jr_key_path(item_path, "id"));
		if (concepts_find(out, c->id) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: concept \"%s\" appears more than once in this list",
							item_path, c->id)));
		c->name = has[CK_NAME] ? jr_string(&vals[CK_NAME], jr_key_path(item_path, "name")) : NULL;
		c->value = 1.0;
		if (has[CK_VALUE])
		{
			Numeric		num;

			c->value = jr_number(&vals[CK_VALUE], jr_key_path(item_path, "value"));
			num = vals[CK_VALUE].val.numeric;
			/* judged on the number as written (1.00000000000000000001 is above 1) */
			if (numeric_is_nan(num) ||
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												  NumericGetDatum(int64_to_numeric(0)))) < 0 ||
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
												  NumericGetDatum(int64_to_numeric(1)))) > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s.value: concept value must be between 0 and 1, got %s",
								item_path, jr_numeric_text(num)),
						 errdetail("1 means the concept is present, 0 that it is absent; model scores lie between.")));
			/*
			 * Stored as the float8 it reads as, which every reader can cast
			 * back; what float8 cannot hold as a normal number (1e-400,
			 * 1e-310, -0) is 0.
			 */
			if (fabs(c->value) < DBL_MIN)
				c->value = 0.0;
		}
		out->n++;
	}
}

void
concepts_from_jsonb(Jsonb *jb, ConceptList *out)
{
	JsonbValue	root;
	int			n;
	int			i;

	out->n = 0;
	out->items = NULL;
	if (jb == NULL || !JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
	{
		out->items = palloc0(sizeof(Concept));
		return;
	}
	jr_root(jb, &root);
	n = JsonContainerSize(root.val.binary.data);
	out->items = palloc0(sizeof(Concept) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		JsonbValue *item = jr_array_element(&root, i);
		JsonbValue *id;
		JsonbValue *name;
		JsonbValue *value;
		Concept    *c = &out->items[out->n];

		if (item->type != jbvBinary || !JsonContainerIsObject(item->val.binary.data))
			continue;
		id = getKeyJsonValueFromContainer(item->val.binary.data, "id", 2, NULL);
		if (id == NULL || id->type != jbvString)
			continue;
		c->id = pnstrdup(id->val.string.val, id->val.string.len);
		name = getKeyJsonValueFromContainer(item->val.binary.data, "name", 4, NULL);
		c->name = (name && name->type == jbvString)
			? pnstrdup(name->val.string.val, name->val.string.len) : NULL;
		value = getKeyJsonValueFromContainer(item->val.binary.data, "value", 5, NULL);
		c->num = (value && value->type == jbvNumeric) ? value->val.numeric : NULL;
		c->value = c->num
			? DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
												 NumericGetDatum(c->num)))
			: 1.0;
		out->n++;
	}
}

/* Pushes a key with a string value. */
static void
push_string_pair(JsonbParseState **st, const char *key, const char *val)
{
	JsonbValue	k;
	JsonbValue	v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v.type = jbvString;
	v.val.string.val = (char *) val;
	v.val.string.len = strlen(val);
	pushJsonbValue(st, WJB_KEY, &k);
	pushJsonbValue(st, WJB_VALUE, &v);
}

Jsonb *
concepts_to_jsonb(const ConceptList *list)
{
	JsonbParseState *st = NULL;
	JsonbValue *res;
	int			i;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < list->n; i++)
	{
		const Concept *c = &list->items[i];
		JsonbValue	k;
		JsonbValue	v;

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_string_pair(&st, "id", c->id);
		if (c->name)
			push_string_pair(&st, "name", c->name);
		k.type = jbvString;
		k.val.string.val = "value";
		k.val.string.len = 5;
		v.type = jbvNumeric;
		v.val.numeric = c->num ? c->num
			: DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(c->value)));
		pushJsonbValue(&st, WJB_KEY, &k);
		pushJsonbValue(&st, WJB_VALUE, &v);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	res = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(res);
}

void
concepts_merge(ConceptList *into, const ConceptList *patch)
{
	int			i;

	into->items = repalloc(into->items, sizeof(Concept) * Max(into->n + patch->n, 1));
	for (i = 0; i < patch->n; i++)
	{
		int			at = concepts_find(into, patch->items[i].id);

		CHECK_FOR_INTERRUPTS();

		if (at < 0)
			into->items[into->n++] = patch->items[i];
		else
		{
			into->items[at].value = patch->items[i].value;
			into->items[at].num = patch->items[i].num;
			if (patch->items[i].name)
				into->items[at].name = patch->items[i].name;
		}
	}
}

void
concepts_remove(ConceptList *from, const ConceptList *ids)
{
	int			i;
	int			kept = 0;

	for (i = 0; i < from->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (concepts_find(ids, from->items[i].id) < 0)
			from->items[kept++] = from->items[i];
	}
	from->n = kept;
}
