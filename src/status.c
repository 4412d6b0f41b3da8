/*
 * status.c — the one table that maps enum labels, Clarifai codes and names.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "json_read.h"
#include "proto_fields.h"
#include "status.h"

static const StatusInfo statuses[] = {
	{"success", 24150, "ANNOTATION_SUCCESS", "Annotation success"},
	{"pending", 24151, "ANNOTATION_PENDING", "Annotation pending"},
	{"failed", 24152, "ANNOTATION_FAILED", "Annotation failed"},
	{"unknown", 24154, "ANNOTATION_UNKNOWN_STATUS", "Annotation has unknown status"},
	{"awaiting_review", 24157, "ANNOTATION_AWAITING_REVIEW", "Annotation awaiting review"},
	{"review_denied", 24158, "ANNOTATION_REVIEW_DENIED", "Annotation review denied"},
	{"awaiting_consensus_review", 24159, "ANNOTATION_AWAITING_CONSENSUS_REVIEW",
	"Annotation awaiting consensus review"},
};

#define NSTATUSES lengthof(statuses)

static const StatusInfo *
status_by_code(int code)
{
	size_t		i;

	for (i = 0; i < NSTATUSES; i++)
		if (statuses[i].code == code)
			return &statuses[i];
	return NULL;
}

const StatusInfo *
status_by_label(const char *label)
{
	size_t		i;

	for (i = 0; i < NSTATUSES; i++)
		if (strcmp(statuses[i].label, label) == 0)
			return &statuses[i];
	elog(ERROR, "unknown annotation status label \"%s\"", label);
	return NULL;				/* keep compiler quiet */
}

static pg_attribute_noreturn() void
status_unknown(const char *path, const char *given)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown annotation status %s", path, given),
			 errdetail("Known statuses: 24150 ANNOTATION_SUCCESS, 24151 ANNOTATION_PENDING, "
					   "24152 ANNOTATION_FAILED, 24154 ANNOTATION_UNKNOWN_STATUS, "
					   "24157 ANNOTATION_AWAITING_REVIEW, 24158 ANNOTATION_REVIEW_DENIED, "
					   "24159 ANNOTATION_AWAITING_CONSENSUS_REVIEW.")));
}

enum
{
	SK_CODE, SK_DESCRIPTION, SK_DETAILS, SK_COUNT
};
static const char *const status_keys[SK_COUNT] = {"code", "description", "details"};

const StatusInfo *
status_parse(const JsonbValue *v, const char *path)
{
	JsonbValue	vals[SK_COUNT];
	bool		has[SK_COUNT];
	const char *code_path = jr_key_path(path, "code");

	/* description and details are output only: accepted and ignored */
	jr_object_unkept(v, path, status_keys, SK_COUNT, &proto_status_unkept, vals, has);
	if (!has[SK_CODE])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: status needs a \"code\"", path)));
	if (vals[SK_CODE].type == jbvString)
	{
		char	   *name = jr_string(&vals[SK_CODE], code_path);
		size_t		i;

		for (i = 0; i < NSTATUSES; i++)
			if (strcmp(statuses[i].name, name) == 0)
				return &statuses[i];
		status_unknown(code_path, psprintf("\"%s\"", name));
	}
	else
	{
		int			code = (int) jr_integer(&vals[SK_CODE], code_path, 0, PG_INT32_MAX);
		const StatusInfo *s = status_by_code(code);

		if (s == NULL)
			status_unknown(code_path, psprintf("%d", code));
		return s;
	}
	return NULL;				/* keep compiler quiet */
}

const StatusInfo *
status_from_text(const char *s, const char *path)
{
	size_t		i;
	char	   *end;
	long		code;

	for (i = 0; i < NSTATUSES; i++)
		if (strcmp(statuses[i].label, s) == 0 || strcmp(statuses[i].name, s) == 0)
			return &statuses[i];
	errno = 0;
	code = strtol(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0 &&
		code <= PG_INT32_MAX && status_by_code((int) code) != NULL)
		return status_by_code((int) code);
	status_unknown(path, psprintf("\"%s\"", jr_clip(s, strlen(s))));
}

PG_FUNCTION_INFO_V1(annotations_status_code);
/* status_code(status) → int: the Clarifai code of an enum value. */
Datum
annotations_status_code(PG_FUNCTION_ARGS)
{
	char	   *label = DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(0)));

	PG_RETURN_INT32(status_by_label(label)->code);
}

PG_FUNCTION_INFO_V1(annotations_status_from_code);
/* status_from_code(int) → status: 22023 for a code that is not an annotation status. */
Datum
annotations_status_from_code(PG_FUNCTION_ARGS)
{
	int32		code = PG_GETARG_INT32(0);
	const StatusInfo *s = status_by_code(code);
	Oid			enumtype = get_fn_expr_rettype(fcinfo->flinfo);

	if (s != NULL)
		return DirectFunctionCall2(enum_in, CStringGetDatum(s->label), ObjectIdGetDatum(enumtype));
	status_unknown("status_from_code", psprintf("%d", code));
}

PG_FUNCTION_INFO_V1(annotations_status_description);
/* The description to_json gives a status. */
Datum
annotations_status_description(PG_FUNCTION_ARGS)
{
	char	   *label = DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(0)));

	PG_RETURN_TEXT_P(cstring_to_text(status_by_label(label)->description));
}
