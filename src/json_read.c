/*
 * json_read.c — typed, path-aware readers over jsonb values.
 *
 * Request parsing walks the request once; these helpers make each step one
 * call and guarantee every rejection is a 22023 that names the item path.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "json_read.h"

void
jr_root(Jsonb *jb, JsonbValue *out)
{
	out->type = jbvBinary;
	out->val.binary.data = &jb->root;
	out->val.binary.len = VARSIZE(jb) - VARHDRSZ;
}

const char *
jr_type_name(const JsonbValue *v)
{
	if (v == NULL)
		return "nothing";
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvArray:
			return "an array";
		case jbvObject:
			return "an object";
		case jbvBinary:
			if (JsonContainerIsScalar(v->val.binary.data))
				return "a scalar";
			return JsonContainerIsObject(v->val.binary.data) ? "an object" : "an array";
		default:
			return "an unknown value";
	}
}

const char *
jr_container_type_name(JsonbContainer *c)
{
	JsonbValue	v;

	if (JsonContainerIsScalar(c) && JsonbExtractScalar(c, &v))
		return jr_type_name(&v);
	v.type = jbvBinary;
	v.val.binary.data = c;
	v.val.binary.len = 0;
	return jr_type_name(&v);
}

/* Raises the shared "wrong type" error. */
static pg_attribute_noreturn() void
jr_type_error(const JsonbValue *v, const char *path, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: expected %s, got %s", path, expected, jr_type_name(v))));
}

/* Raises the "wrong type" error unless v is a scalar of the given type. */
static void
jr_expect(const JsonbValue *v, enum jbvType type, const char *path, const char *expected)
{
	if (v == NULL || v->type != type)
		jr_type_error(v, path, expected);
}

static bool
jr_is_container(const JsonbValue *v, bool want_object)
{
	if (v == NULL || v->type != jbvBinary || JsonContainerIsScalar(v->val.binary.data))
		return false;
	return want_object ? JsonContainerIsObject(v->val.binary.data)
		: JsonContainerIsArray(v->val.binary.data);
}

/*
 * Paths are written for every element of a request, to name it in a
 * message should it be refused; plain copies cost a fraction of a
 * formatted print, which showed in a batch's parse.
 */
static char *
path_join(const char *path, const char *sep, const char *tail, const char *end)
{
	size_t		lp = strlen(path);
	size_t		ls = strlen(sep);
	size_t		lt = strlen(tail);
	size_t		le = strlen(end);
	char	   *out = palloc(lp + ls + lt + le + 1);

	memcpy(out, path, lp);
	memcpy(out + lp, sep, ls);
	memcpy(out + lp + ls, tail, lt);
	memcpy(out + lp + ls + lt, end, le + 1);
	return out;
}

char *
jr_key_path(const char *path, const char *key)
{
	return path_join(path, ".", key, "");
}

char *
jr_index_path(const char *path, int i)
{
	char		digits[12];

	pg_ltoa(i, digits);
	return path_join(path, "[", digits, "]");
}

bool
jr_next_pair(JsonbIterator **it, JsonbValue *key, JsonbValue *val)
{
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(it, key, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		tok = JsonbIteratorNext(it, val, true);
		Assert(tok == WJB_VALUE);
		return true;
	}
	return false;
}

/* The length of a key's name in a list ("source=UNKNOWN_SOURCE" names "source"). */
static size_t
jr_key_name_length(const char *key)
{
	const char *eq = strchr(key, '=');

	return eq ? (size_t) (eq - key) : strlen(key);
}

/* Whether a key is one of a list. */
static bool
jr_key_in(const JsonbValue *key, const char *const *keys, int nkeys, int *at)
{
	int			i;

	for (i = 0; i < nkeys; i++)
		if (jr_key_name_length(keys[i]) == (size_t) key->val.string.len &&
			memcmp(keys[i], key->val.string.val, key->val.string.len) == 0)
		{
			*at = i;
			return true;
		}
	return false;
}

/* Whether v is the name of an enum's zero value given after "=" in a key list. */
static bool
jr_is_enum_zero(const JsonbValue *v, const char *key)
{
	const char *eq = strchr(key, '=');

	return eq != NULL && v->type == jbvString &&
		strlen(eq + 1) == (size_t) v->val.string.len &&
		memcmp(eq + 1, v->val.string.val, v->val.string.len) == 0;
}

bool
jr_is_default(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return true;
		case jbvBool:
			return !v->val.boolean;
		case jbvNumeric:
			return !numeric_is_nan(v->val.numeric) &&
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v->val.numeric),
												  NumericGetDatum(int64_to_numeric(0)))) == 0;
		case jbvString:
			/* int64 fields travel as strings in proto3 JSON */
			return v->val.string.len == 0 ||
				(v->val.string.len == 1 && v->val.string.val[0] == '0');
		case jbvBinary:
			/* [] and {} (a message with every field at its default) */
			return !JsonContainerIsScalar(v->val.binary.data) &&
				JsonContainerSize(v->val.binary.data) == 0;
		default:
			return false;
	}
}

/* Raises the "unknown key" error, listing the keys allowed here. */
static pg_attribute_noreturn() void
jr_unknown_key(const JsonbValue *key, const char *path, const char *const *keys, int nkeys)
{
	StringInfoData allowed;
	int			i;

	initStringInfo(&allowed);
	for (i = 0; i < nkeys; i++)
		appendStringInfo(&allowed, "%s\"%s\"", i ? ", " : "", keys[i]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown key \"%s\"", path,
					jr_clip(key->val.string.val, key->val.string.len)),
			 errdetail("Allowed keys here: %s.", allowed.data)));
}

void
jr_object_unkept(const JsonbValue *v, const char *path,
				 const char *const *keys, int nkeys, const JrKeys *unkept,
				 JsonbValue *values, bool *present)
{
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	val;

	if (!jr_is_container(v, true))
		jr_type_error(v, path, "an object");

	memset(present, 0, sizeof(bool) * nkeys);
	it = JsonbIteratorInit(v->val.binary.data);
	while (jr_next_pair(&it, &key, &val))
	{
		int			i;

		if (!jr_key_in(&key, keys, nkeys, &i))
		{
			int			u;

			if (unkept == NULL || !jr_key_in(&key, unkept->keys, unkept->n, &u))
				jr_unknown_key(&key, path, keys, nkeys);
			/*
			 * A field of the Clarifai message that this store does not keep:
			 * holding its default it says nothing, anything else would be lost.
			 */
			if (!jr_is_default(&val) && !jr_is_enum_zero(&val, unkept->keys[u]))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s.%.*s: this field is not kept here, so it may only hold its default value, got %s",
								path, (int) jr_key_name_length(unkept->keys[u]), unkept->keys[u],
								jr_type_name(&val)),
						 errdetail("Clarifai clients send fields they do not use as null, \"\", 0, false, [] or {}; those are accepted and ignored.")));
			continue;
		}
		if (val.type != jbvNull)
		{
			values[i] = val;
			present[i] = true;
		}
	}
}

void
jr_object(const JsonbValue *v, const char *path,
		  const char *const *keys, int nkeys,
		  JsonbValue *values, bool *present)
{
	jr_object_unkept(v, path, keys, nkeys, NULL, values, present);
}

int
jr_array_length(const JsonbValue *v, const char *path)
{
	if (!jr_is_container(v, false))
		jr_type_error(v, path, "an array");
	return JsonContainerSize(v->val.binary.data);
}

JsonbValue *
jr_array_element(const JsonbValue *v, int i)
{
	return getIthJsonbValueFromContainer(v->val.binary.data, (uint32) i);
}

int
jr_batch_length(Jsonb *jb, const char *what, JsonbValue *root)
{
	int			n;

	if (jb == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NULL", what)));
	jr_root(jb, root);
	n = jr_array_length(root, what);
	if (n < 1 || n > MAX_BATCH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected 1 to %d items, got %d", what, MAX_BATCH, n)));
	return n;
}

char *
jr_string(const JsonbValue *v, const char *path)
{
	jr_expect(v, jbvString, path, "a string");
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* C0 controls, DEL, and C1 controls (U+0080..U+009F, C2 80..9F in UTF-8) */
static inline bool
jr_is_control(const char *s, int len, int i)
{
	unsigned char c = (unsigned char) s[i];

	return c < 0x20 || c == 0x7f ||
		(c == 0xc2 && i + 1 < len && GetDatabaseEncoding() == PG_UTF8 &&
		 (unsigned char) s[i + 1] >= 0x80 && (unsigned char) s[i + 1] <= 0x9f);
}

bool
jr_id_ok(const char *s, int len)
{
	int			i;

	if (len <= 0)
		return false;
	for (i = 0; i < len; i++)
		if (jr_is_control(s, len, i))
			return false;
	/* stored text may be in no valid encoding at all */
	if (pg_encoding_verifymbstr(GetDatabaseEncoding(), s, len) != len)
		return false;
	return pg_mbstrlen_with_len(s, len) <= MAX_ID_LENGTH;
}

/* Shared rule for every kind of id, on a counted string. */
static void
jr_check_id_len(const char *s, int len, const char *path)
{
	int			nchars;
	int			i;

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: id must not be empty", path)));
	for (i = 0; i < len; i++)
	{
		if (jr_is_control(s, len, i))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: id must not contain control characters", path),
					 errdetail("Found character 0x%02x at byte %d.", (unsigned char) s[i], i + 1)));
	}
	nchars = pg_mbstrlen_with_len(s, len);
	if (nchars > MAX_ID_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: id is %d characters long, at most %d are allowed",
						path, nchars, MAX_ID_LENGTH)));
}

void
jr_check_id(const char *id, const char *path)
{
	if (id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NULL", path)));
	jr_check_id_len(id, strlen(id), path);
}

char *
jr_id(const JsonbValue *v, const char *path)
{
	jr_expect(v, jbvString, path, "a string id");
	jr_check_id_len(v->val.string.val, v->val.string.len, path);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

char *
jr_optional_id(const JsonbValue *v, bool present, const char *path)
{
	if (!present || (v->type == jbvString && v->val.string.len == 0))
		return NULL;
	return jr_id(v, path);
}

double
jr_number(const JsonbValue *v, const char *path)
{
	jr_expect(v, jbvNumeric, path, "a number");
	/* the no-overflow variant clamps huge numerics instead of raising 22003 */
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
											  NumericGetDatum(v->val.numeric)));
}

char *
jr_numeric_text(Numeric num)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

	/* 1e400 or 1e-400 written out would fill the message */
	if (strlen(text) > 40)
		return numeric_out_sci(num, 6);
	return text;
}

char *
jr_clip(const char *s, int len)
{
	return pnstrdup(s, pg_mbcliplen(s, len, 100));
}

/* num as a Numeric datum compared with an int64: <0, 0, >0 */
static int
numeric_cmp_int64(Numeric num, int64 i)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
											 NumericGetDatum(int64_to_numeric(i))));
}

int64
jr_integer(const JsonbValue *v, const char *path, int64 min, int64 max)
{
	Numeric		num;
	Numeric		whole;

	jr_expect(v, jbvNumeric, path, "a number");
	/* judged on the number as written: 1e-400 or 0.99999999999999999999 is not whole */
	num = v->val.numeric;
	whole = DatumGetNumeric(DirectFunctionCall2(numeric_trunc, NumericGetDatum(num),
												Int32GetDatum(0)));
	if (numeric_is_nan(num) ||
		!DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(num), NumericGetDatum(whole))) ||
		numeric_cmp_int64(num, min) < 0 || numeric_cmp_int64(num, max) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected a whole number from " INT64_FORMAT " to " INT64_FORMAT ", got %s",
						path, min, max, jr_numeric_text(num))));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(num)));
}

/* n digits at s (no sign, no space), as a number; -1 when they are not digits */
static int
jr_digits(const char *s, int n)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Whether s is a valid RFC 3339 time: checked here so every error names the path. */
static bool
jr_rfc3339_ok(const char *s)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			year,
				month,
				day;
	const char *p;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
		s[13] != ':' || s[16] != ':')
		return false;
	year = jr_digits(s, 4);
	month = jr_digits(s + 5, 2);
	day = jr_digits(s + 8, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > days[month - 1] ||
		(month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))))
		return false;
	if (jr_digits(s + 11, 2) < 0 || jr_digits(s + 11, 2) > 23 ||
		jr_digits(s + 14, 2) < 0 || jr_digits(s + 14, 2) > 59 ||
		jr_digits(s + 17, 2) < 0 || jr_digits(s + 17, 2) > 59)
		return false;
	p = s + 19;
	if (*p == '.')
	{
		int			n = 0;

		while (p[1 + n] >= '0' && p[1 + n] <= '9')
			n++;
		if (n < 1 || n > 9)
			return false;
		p += 1 + n;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return true;
	return (*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
		jr_digits(p + 1, 2) >= 0 && jr_digits(p + 1, 2) <= 23 &&
		jr_digits(p + 4, 2) >= 0 && jr_digits(p + 4, 2) <= 59;
}

TimestampTz
jr_timestamp(const JsonbValue *v, const char *path)
{
	char	   *s;

	jr_expect(v, jbvString, path, "a string (an RFC 3339 time)");
	s = pnstrdup(v->val.string.val, v->val.string.len);
	if (!jr_rfc3339_ok(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected a time in RFC 3339 form, got \"%s\"", path,
						jr_clip(s, strlen(s))),
				 errhint("Write it as 2024-01-31T12:00:00Z, with a fraction of a second and an offset if you like.")));
	return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(s),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

bool
jr_bool(const JsonbValue *v, const char *path)
{
	jr_expect(v, jbvBool, path, "a boolean");
	return v->val.boolean;
}

Jsonb *
jr_any_object(const JsonbValue *v, const char *path)
{
	if (!jr_is_container(v, true))
		jr_type_error(v, path, "an object");
	return JsonbValueToJsonb((JsonbValue *) v);
}

void
jr_check_limits(JsonbContainer *c, const char *path)
{
	JsonbIterator *it = JsonbIteratorInit(c);
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			depth = 0;
	int			items = 0;

	/*
	 * One pass over the tokens, without recursion: a value nested thousands
	 * of levels deep is refused as soon as the iterator reaches the level
	 * past the limit, having done work in proportion to what it read.
	 */
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		switch (tok)
		{
			case WJB_BEGIN_ARRAY:
			case WJB_BEGIN_OBJECT:
				if (++depth > MAX_JSON_DEPTH)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: nested more than %d levels deep", path, MAX_JSON_DEPTH),
							 errdetail("Objects and arrays in annotation_info and metadata may be nested at most %d levels deep, the object itself being the first.",
									   MAX_JSON_DEPTH)));
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				depth--;
				break;
			case WJB_KEY:
			case WJB_ELEM:
				if (++items > MAX_JSON_ITEMS)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: holds more than %d keys and array elements", path, MAX_JSON_ITEMS),
							 errdetail("annotation_info and metadata hold at most %d keys and array elements, counted at every depth.",
									   MAX_JSON_ITEMS)));
				if (items % 1024 == 0)
					CHECK_FOR_INTERRUPTS();
				break;
			default:
				break;
		}
	}
}

Jsonb *
jr_free_object(const JsonbValue *v, const char *path)
{
	if (!jr_is_container(v, true))
		jr_type_error(v, path, "an object");
	jr_check_limits(v->val.binary.data, path);
	return JsonbValueToJsonb((JsonbValue *) v);
}

char *
jr_new_id(void)
{
	uint8		bytes[16];
	char	   *out = palloc(33);
	int			i;

	if (!pg_strong_random(bytes, sizeof(bytes)))
		elog(ERROR, "could not generate a random id");
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
	return out;
}
