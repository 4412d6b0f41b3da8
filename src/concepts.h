/*
 * concepts.h — concept lists: {"id", "name", "value"} items.
 *
 * A list is parsed and checked once (ids non-empty and unique, values finite
 * in [0, 1], a missing value meaning 1), kept as a C array while a patch
 * works on it, and written back as a normalized jsonb array.
 */
#ifndef ANNOTATIONS_CONCEPTS_H
#define ANNOTATIONS_CONCEPTS_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

typedef struct Concept
{
	char	   *id;
	char	   *name;			/* NULL when none was given */
	double		value;
	Numeric		num;			/* value as given, kept for exact output; may be NULL */
} Concept;

typedef struct ConceptList
{
	int			n;
	Concept    *items;
} ConceptList;

/*
 * Where a concept list that is not a request comes from, for the error that
 * names it: a stored column (what != NULL; XX001 naming the annotation) or
 * an argument of an internal function (what == NULL; 22023 naming column).
 * Stored lists get the same scrutiny as requests: a role may write the
 * tables directly, and a restore may skip the checks.
 */
typedef struct ConceptSource
{
	const char *column;			/* "annotations.regions.concepts", "patch.concepts" */
	const char *what;			/* "concepts", "region concepts"; NULL for an argument */
	const char *app_id;			/* the stored row; may be NULL */
	const char *annotation_id;
} ConceptSource;

/* Parses and checks a request's concept array; errors name path. */
extern void concepts_parse(const JsonbValue *v, const char *path, ConceptList *out);

/*
 * Checks that a stored list (or an internal argument) is an array of at most
 * MAX_CONCEPTS and returns its length.
 */
extern int	concepts_check_list(Jsonb *jb, const ConceptSource *src);

/*
 * Checks element i of such a list: an object with a valid string "id", an
 * optional string "name", an optional number "value" in [0, 1] and nothing
 * else. id is set; name and value are jbvNull when absent.
 */
extern void concepts_check_item(const JsonbValue *item, int i, const ConceptSource *src,
								JsonbValue *id, JsonbValue *name, JsonbValue *value);

/* Reads a stored list (or an internal argument), checked as above; NULL is empty. */
extern void concepts_from_jsonb(Jsonb *jb, const ConceptSource *src, ConceptList *out);

/* The normalized jsonb array of a list. */
extern Jsonb *concepts_to_jsonb(const ConceptList *list);

/* Merge: concepts matched by id get the new value (and name when given); new ones are appended. */
extern void concepts_merge(ConceptList *into, const ConceptList *patch);

/* Remove: drops every concept whose id is in ids. */
extern void concepts_remove(ConceptList *from, const ConceptList *ids);

#endif
