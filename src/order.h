/*
 * order.h — the creation order of an app's annotations: seq values taken
 * where the app's rows live, above every seq the app already holds.
 */
#ifndef ANNOTATIONS_ORDER_H
#define ANNOTATIONS_ORDER_H

#include "postgres.h"

/*
 * n new seq values for annotations of app_id, as a bigint[] Datum in
 * increasing order, every one above the app's highest stored seq. SPI
 * connected, store rights.
 */
extern Datum order_take(const char *app_id, int n);

#endif
