/*
 * jsonb_writer.c — large jsonb documents written in their binary form.
 *
 * The export of a COCO document appends each element's container to an
 * array kept in jsonb's on-disk layout, and assembles the root object around
 * the largest array in place, so the biggest part is never copied.
 */
#include "postgres.h"

#include "utils/jsonb.h"

#include "jsonb_writer.h"
void
jba_init(JbArray *a)
{
	initStringInfo(&a->data);
	a->n = 0;
	a->cap = 64;
	a->entries = palloc(sizeof(uint32) * a->cap);
}

/* Bytes of the array as a container: header, JEntries, elements. */
static Size
jba_size(const JbArray *a)
{
	return sizeof(uint32) * (1 + (Size) a->n) + (Size) a->data.len;
}

void
coco_too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("COCO document exceeds the maximum jsonb size of %u bytes", JENTRY_OFFLENMASK),
			 errhint("Export fewer annotations at a time, for example by input_ids, statuses or task_id.")));
}

/* Appends one object or array (the root container of elem). */
void
jba_append(JbArray *a, Jsonb *elem)
{
	static const char zeros[4] = {0, 0, 0, 0};
	uint32		len = VARSIZE(elem) - VARHDRSZ;
	int			pad = INTALIGN(a->data.len) - a->data.len;

	Assert(!JB_ROOT_IS_SCALAR(elem));
	/* the whole document must fit in one JEntry length (256 MB) */
	if (jba_size(a) + sizeof(uint32) + pad + len > JENTRY_OFFLENMASK)
		coco_too_large();
	if (a->n == a->cap)
	{
		a->cap *= 2;
		a->entries = repalloc(a->entries, sizeof(uint32) * a->cap);
	}
	appendBinaryStringInfo(&a->data, zeros, pad);
	appendBinaryStringInfo(&a->data, VARDATA(elem), len);
	if (a->n % JB_OFFSET_STRIDE == 0)
		a->entries[a->n] = JENTRY_ISCONTAINER | JENTRY_HAS_OFF | (uint32) a->data.len;
	else
		a->entries[a->n] = JENTRY_ISCONTAINER | (uint32) (pad + len);
	a->n++;
}

/* Writes the header and JEntries of an array; out->len must be 4-aligned. */
static void
jba_write_head(StringInfo out, const JbArray *a)
{
	uint32		header = (uint32) a->n | JB_FARRAY;

	Assert(out->len % 4 == 0);
	appendBinaryStringInfo(out, (const char *) &header, sizeof(uint32));
	appendBinaryStringInfo(out, (const char *) a->entries, sizeof(uint32) * a->n);
}



/*
 * Assembles the root object.  parts must be in jsonb key order (shorter
 * keys first, then bytewise) and the last one must be an array: its element
 * bytes become the tail of the result in place (the rest is moved in front
 * of them), so the biggest part is never copied into a second buffer.
 */
Jsonb *
coco_assemble(DocPart *parts, int nparts)
{
	static const char zeros[4] = {0, 0, 0, 0};
	JbArray    *last = parts[nparts - 1].array;
	StringInfoData pre;
	uint32		header = (uint32) nparts | JB_FOBJECT;
	uint32	   *entries = palloc0(sizeof(uint32) * 2 * nparts);
	int			entries_at;
	Size		totallen = 0;
	Size		total;
	int			i;

	initStringInfo(&pre);
	appendBinaryStringInfo(&pre, zeros, VARHDRSZ);
	appendBinaryStringInfo(&pre, (const char *) &header, sizeof(uint32));
	entries_at = pre.len;
	appendBinaryStringInfo(&pre, (const char *) entries, sizeof(uint32) * 2 * nparts);

	for (i = 0; i < nparts; i++)
	{
		uint32		len = strlen(parts[i].key);

		appendBinaryStringInfo(&pre, parts[i].key, len);
		totallen += len;
		entries[i] = (i % JB_OFFSET_STRIDE == 0) ? (JENTRY_HAS_OFF | (uint32) totallen) : len;
	}
	for (i = 0; i < nparts; i++)
	{
		int			start = pre.len;
		Size		len;

		appendBinaryStringInfo(&pre, zeros, INTALIGN(pre.len) - pre.len);
		if (parts[i].small)
			appendBinaryStringInfo(&pre, VARDATA(parts[i].small), VARSIZE(parts[i].small) - VARHDRSZ);
		else
		{
			jba_write_head(&pre, parts[i].array);
			if (parts[i].array != last)
				appendBinaryStringInfo(&pre, parts[i].array->data.data, parts[i].array->data.len);
		}
		len = pre.len - start;
		if (parts[i].array == last)
			len += last->data.len;
		totallen += len;
		if (totallen > JENTRY_OFFLENMASK)
			coco_too_large();
		entries[nparts + i] = JENTRY_ISCONTAINER |
			(((i + nparts) % JB_OFFSET_STRIDE == 0) ? (JENTRY_HAS_OFF | (uint32) totallen) : (uint32) len);
	}
	memcpy(pre.data + entries_at, entries, sizeof(uint32) * 2 * nparts);
	Assert(pre.len % 4 == 0);

	/* move the last array's elements behind everything else */
	total = (Size) pre.len + last->data.len;
	enlargeStringInfo(&last->data, pre.len);
	memmove(last->data.data + pre.len, last->data.data, last->data.len);
	memcpy(last->data.data, pre.data, pre.len);
	SET_VARSIZE(last->data.data, total);
	pfree(pre.data);
	return (Jsonb *) last->data.data;
}

/* Small jsonb objects built a key and a value at a time. */
void
push_key(JsonbParseState **st, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
}

void
push_numeric(JsonbParseState **st, JsonbIteratorToken tok, Numeric num)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = num;
	pushJsonbValue(st, tok, &v);
}

void
push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = len;
	pushJsonbValue(st, tok, &v);
}
