/*
 * citus_catalogue.h — the concept catalogue filled by statements Citus
 * runs on the app's local shard.
 */
#ifndef ANNOTATIONS_CITUS_CATALOGUE_H
#define ANNOTATIONS_CITUS_CATALOGUE_H

#include "postgres.h"

extern int64 citus_catalogue_fill(Datum app, Datum ids, Datum names, int m);

#endif
