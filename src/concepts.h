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

/* Parses and checks a request's concept array; errors name path. */
extern void concepts_parse(const JsonbValue *v, const char *path, ConceptList *out);

/* Reads a stored (already normalized) concept array. */
extern void concepts_from_jsonb(Jsonb *jb, ConceptList *out);

/* The normalized jsonb array of a list. */
extern Jsonb *concepts_to_jsonb(const ConceptList *list);

/* Merge: concepts matched by id get the new value (and name when given); new ones are appended. */
extern void concepts_merge(ConceptList *into, const ConceptList *patch);

/* Remove: drops every concept whose id is in ids. */
extern void concepts_remove(ConceptList *from, const ConceptList *ids);

#endif
