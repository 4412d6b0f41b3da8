/*
 * citus_guard.h — a planner hook that keeps calls Citus would mishandle
 * away from its function delegation.
 */
#ifndef ANNOTATIONS_CITUS_GUARD_H
#define ANNOTATIONS_CITUS_GUARD_H

extern void citus_guard_install(void);

#endif
