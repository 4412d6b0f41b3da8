/*
 * shape_io.c — number and JSON helpers shared by the polygon, keypoint and
 * mask types.  They follow bbox.c's rules: numbers are scanned by our own
 * grammar (no hex floats, no locale), rounded once to float4 from their
 * decimal spelling, and a finite number too large for float4 is reported
 * with its spelling rather than as Infinity.
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "shapes.h"

/* Longest original spelling quoted in a message. */
#define MAX_SHOWN_LEN 40

/*
 * Length of the number spelled at s (0 if none): [+-] then digits with an
 * optional fraction and exponent, or nan / inf / infinity in any case.  Our
 * own scanner, so strtof never sees hex floats or locale surprises.  Every
 * shape's text input (boxes included) reads its numbers with it.
 */
int
shape_number_length(const char *s)
{
	const char *p = s;
	bool		digits = false;

	if (*p == '+' || *p == '-')
		p++;
	if (pg_strncasecmp(p, "infinity", 8) == 0)
		return (p - s) + 8;
	if (pg_strncasecmp(p, "inf", 3) == 0 || pg_strncasecmp(p, "nan", 3) == 0)
		return (p - s) + 3;
	while (isdigit((unsigned char) *p))
		p++, digits = true;
	if (*p == '.')
	{
		p++;
		while (isdigit((unsigned char) *p))
			p++, digits = true;
	}
	if (!digits)
		return 0;
	if (*p == 'e' || *p == 'E')
	{
		const char *e = p + 1;

		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char) *e))
		{
			while (isdigit((unsigned char) *e))
				e++;
			p = e;
		}
	}
	return p - s;
}

char *
shape_shown_text(const char *s, size_t len)
{
	if (len > MAX_SHOWN_LEN)
		return psprintf("%.*s...", MAX_SHOWN_LEN - 3, s);
	return pnstrdup(s, len);
}

float4
shape_decimal_to_float4(const char *s, int len, char **overflow)
{
	char	   *copy = pnstrdup(s, len);
	float4		f;

	*overflow = NULL;
	errno = 0;
	f = strtof(copy, NULL);
	if (errno == ERANGE && isinf(f))
		*overflow = shape_shown_text(s, len);
	pfree(copy);
	return f;
}

/*
 * A JSON number rounded straight from its decimal text to float4, so the
 * result is what text input would give and 1e400 is an overflow, not a crash.
 */
float4
shape_numeric_to_float4(Numeric num, char **overflow)
{
	char	   *text;
	size_t		len;
	float4		f;

	text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	len = strlen(text);
	if (len > INT_MAX)
		elog(ERROR, "numeric text too long");
	f = shape_decimal_to_float4(text, (int) len, overflow);
	/* numeric_out spells 1e39 with 40 digits; say 1.000e+39 instead */
	if (*overflow != NULL && len > 20)
		*overflow = numeric_out_sci(num, 3);
	pfree(text);
	return f;
}

Numeric
shape_float4_numeric(float4 f)
{
	char		buf[FLOAT_SHORTEST_DECIMAL_LEN];

	float_to_shortest_decimal_buf(f, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

char *
shape_float4_text(float4 f)
{
	char	   *buf = palloc(FLOAT_SHORTEST_DECIMAL_LEN);

	float_to_shortest_decimal_buf(f, buf);
	return buf;
}

/* Exact powers of ten in double (10^22 is the largest). */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Added to a double below 2^52 and taken off again: rounds it to an integer. */
#define ROUND_TO_INTEGER 4503599627370496.0

/* Nine significant digits always suffice and f >= 0.001: under 12 places. */
#define FAST_PLACES 12

/*
 * The shortest decimal of f in [0.001, 1] found without writing it out:
 * with k decimal places, the decimal nearest to f is q / 10^k with
 * q = round(f * 10^k), and f's shortest spelling is the one at the first k
 * where it lies inside f's rounding interval (where every real number reads
 * back as f); no other decimal with k places can, being farther.
 * f * 10^k, the interval's half-width * 10^k and q - f * 10^k are exact in
 * double (24 bits of f times 5^k, k < 12), so the test is exact; the
 * interval's ends count, as for Ryu, when f's significand is even.  Every
 * place is tested, without a branch on the digits: that costs a third of
 * stopping at the first hit, whose place the processor cannot predict.  A
 * tie (f * 10^k halfway between two integers, once f * 10^k >= 1) up to the
 * answer is left to the general path.  Returns false when this path does
 * not apply.
 */
static bool
shortest_decimal_fast(float4 f, double *out)
{
	uint32		bits;
	uint64		half_bits;
	double		fd = f;
	double		half_up;		/* half a float4 step above f */
	double		half_down;		/* below: half that when f is a power of 2 */
	bool		even;
	uint32		inside = 0;		/* bit k: the decimal with k places reads as f */
	uint32		ties = 0;		/* bit k: f * 10^k is halfway */
	int			k;

	if (!(f >= 0.001f && f <= 1.0f))
		return false;
	memcpy(&bits, &f, sizeof(bits));
	/* f = significand * 2^(exponent - 150); half a step is 2^(exponent - 151) */
	half_bits = (uint64) ((int) (bits >> 23) - 151 + 1023) << 52;
	memcpy(&half_up, &half_bits, sizeof(half_up));
	half_down = (bits & 0x7FFFFF) == 0 ? half_up / 2 : half_up;
	even = (bits & 1) == 0;
	for (k = 0; k < FAST_PLACES; k++)
	{
		double		m = fd * pow10_exact[k];
		double		d = ((m + ROUND_TO_INTEGER) - ROUND_TO_INTEGER) - m;
		double		reach = (d > 0 ? half_up : half_down) * pow10_exact[k];

		inside |= (uint32) (fabs(d) < reach || (even && fabs(d) == reach)) << k;
		ties |= (uint32) (fabs(d) == 0.5 && m >= 1.0) << k;
	}
	if (inside == 0)
		return false;
	k = pg_rightmost_one_pos32(inside);
	if (ties & (((uint32) 2 << k) - 1))
		return false;
	/* one division of two exact operands: correctly rounded */
	*out = ((fd * pow10_exact[k] + ROUND_TO_INTEGER) - ROUND_TO_INTEGER) /
		pow10_exact[k];
	return true;
}

/*
 * A stored float4 as the double of its shortest decimal spelling, so that
 * results people read (area, iou, COCO pixels) come out as for the numbers
 * they wrote: 0.2 of 640 pixels is 128, not 128.0000019.  Monotonic, so
 * comparisons made on the float4 values still hold.
 *
 * The shortest spelling has at most 9 digits, so when its decimal exponent
 * is small the value is digits / 10^k with both operands exact, and one
 * division is correctly rounded: the same double strtod gives, without
 * its cost (this runs for every point of every geometry call).  Values in
 * [0.001, 1], nearly every coordinate, skip writing the digits out.
 */
double
shape_float4_decimal(float4 f)
{
	char		buf[FLOAT_SHORTEST_DECIMAL_LEN];
	const char *p = buf;
	int64		digits = 0;
	int			exp10 = 0;
	bool		neg = false;
	bool		fraction = false;
	double		fast;

	if (f == 0.0f || isnan(f) || isinf(f))
		return (double) f + 0.0;
	if (shortest_decimal_fast(f, &fast))
		return fast;
	float_to_shortest_decimal_buf(f, buf);
	if (*p == '-')
		neg = true, p++;
	for (; isdigit((unsigned char) *p) || *p == '.'; p++)
	{
		if (*p == '.')
			fraction = true;
		else
		{
			digits = digits * 10 + (*p - '0');
			if (fraction)
				exp10--;
		}
	}
	if (*p == 'e' || *p == 'E')
		exp10 += atoi(p + 1);
	/* one operation on two exact operands: correctly rounded */
	if (exp10 >= -22 && exp10 <= 22)
	{
		double		d = exp10 < 0 ? (double) digits / pow10_exact[-exp10]
			: (double) digits * pow10_exact[exp10];

		return neg ? -d : d;
	}
	return strtod(buf, NULL);
}

const char *
shape_json_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		case jbvArray:
			return "array";
		case jbvObject:
			return "object";
		case jbvBinary:
			if (JsonContainerIsObject(v->val.binary.data))
				return "object";
			if (JsonContainerIsScalar(v->val.binary.data))
			{
				JsonbValue	scalar;

				if (JsonbExtractScalar(v->val.binary.data, &scalar))
					return shape_json_type_name(&scalar);
			}
			return "array";
		default:
			return "unknown";
	}
}

JsonbContainer *
shape_json_object(const JsonbValue *v, const char *where, const char *detail)
{
	if (v == NULL || v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected an object, got %s", where,
						v == NULL ? "nothing" : shape_json_type_name(v)),
				 errdetail("%s", detail)));
	return v->val.binary.data;
}

bool
shape_json_get(JsonbContainer *obj, const char *key, JsonbValue *out)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), out) != NULL;
}

void
shape_json_only_keys(JsonbContainer *obj, const char *const *allowed, int nallowed,
					 const char *where, const char *detail)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			present = 0;
	int			i;

	for (i = 0; i < nallowed; i++)
	{
		JsonbValue	dummy;

		if (shape_json_get(obj, allowed[i], &dummy))
			present++;
	}
	if ((int) JsonContainerSize(obj) == present)
		return;
	/* find the first key not allowed, for the message */
	it = JsonbIteratorInit(obj);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY)
			continue;
		for (i = 0; i < nallowed; i++)
			if (strlen(allowed[i]) == (size_t) v.val.string.len &&
				memcmp(allowed[i], v.val.string.val, v.val.string.len) == 0)
				break;
		if (i == nallowed)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: unknown key \"%s\"", where,
							shape_shown_text(v.val.string.val, v.val.string.len)),
					 errdetail("%s", detail)));
	}
}

void
shape_push_key(JsonbParseState **state, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
}

void
shape_push_float4(JsonbParseState **state, float4 f)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = shape_float4_numeric(f);
	pushJsonbValue(state, WJB_VALUE, &v);
}
