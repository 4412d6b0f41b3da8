/*
 * lifecycle.h — settings that guard the store's data when the extension is dropped.
 */
#ifndef ANNOTATIONS_LIFECYCLE_H
#define ANNOTATIONS_LIFECYCLE_H

extern void lifecycle_define_settings(void);

#endif
