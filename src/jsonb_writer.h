/*
 * jsonb_writer.h — large jsonb documents written directly in their binary
 * form, element by element, so a document of hundreds of megabytes never
 * exists as a JsonbValue tree (several times its size).
 */
#ifndef ANNOTATIONS_JSONB_WRITER_H
#define ANNOTATIONS_JSONB_WRITER_H

#include "postgres.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

/*
 * A jsonb array written element by element in the on-disk format of
 * utils/jsonb.h: a header word, one JEntry per element (every
 * JB_OFFSET_STRIDE'th holding an end offset, the others a length), then the
 * elements, each container padded to a 4-byte boundary.  Offset 0 of data
 * must land on a 4-byte boundary of the final value, which the writer below
 * guarantees; element containers come from JsonbValueToJsonb, whose internal
 * padding is relative to a 4-byte boundary too, so they can be copied as is.
 */
typedef struct JbArray
{
	StringInfoData data;		/* the elements */
	uint32	   *entries;		/* one JEntry per element */
	int			n;
	int			cap;
} JbArray;

/* One member of the document object: a small jsonb or a built array. */
typedef struct DocPart
{
	const char *key;
	Jsonb	   *small;
	JbArray    *array;
} DocPart;

extern void jba_init(JbArray *a);
extern void jba_append(JbArray *a, Jsonb *elem);
extern Jsonb *coco_assemble(DocPart *parts, int nparts);
extern pg_attribute_noreturn() void coco_too_large(void);
extern void push_key(JsonbParseState **st, const char *key);
extern void push_numeric(JsonbParseState **st, JsonbIteratorToken tok, Numeric num);
extern void push_string(JsonbParseState **st, JsonbIteratorToken tok, const char *s, int len);

#endif
