/*
 * shapes.h — the region shapes beyond boxes: annotations.polygon,
 * annotations.keypoint and annotations.mask, and the helpers their I/O
 * shares (src/shape_io.c).
 *
 * Coordinates are stored as float4, like bbox's: seven significant digits
 * are far finer than any pixel of any real image (1/32768 is 3e-5), and a
 * 16-point polygon takes 128 bytes instead of 256.  Every value of these
 * types is valid: each way in ends in the type's one validity check.
 */
#ifndef ANNOTATIONS_SHAPES_H
#define ANNOTATIONS_SHAPES_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

/* ------------------------------------------------------------ polygon */

typedef struct PolyPoint
{
	float4		row;			/* y, from the top */
	float4		col;			/* x, from the left */
} PolyPoint;

/*
 * A varlena of points; the count follows from the size.  No bounding box
 * is cached: computing it is one pass over the points, cheaper than
 * storing 16 more bytes in every row.
 */
typedef struct Polygon
{
	int32		vl_len_;
	PolyPoint	points[FLEXIBLE_ARRAY_MEMBER];
} Polygon;

/*
 * At most 10,000 points: 80 kB stored, and the exact intersection of two
 * such polygons (quadratic in the points) stays well under a second.
 * Real annotation outlines have tens to a few hundred points.
 */
#define POLYGON_MAX_POINTS 10000
#define POLYGON_MIN_POINTS 3

#define POLYGON_NPOINTS(p) ((int) ((VARSIZE(p) - VARHDRSZ) / sizeof(PolyPoint)))
#define POLYGON_SIZE(n) (VARHDRSZ + (Size) (n) * sizeof(PolyPoint))
#define DatumGetPolygonP(X) ((Polygon *) PG_DETOAST_DATUM(X))
#define PG_GETARG_POLYGON_P(n) DatumGetPolygonP(PG_GETARG_DATUM(n))

#define POLYGON_VALID_DETAIL \
	"A polygon is 3 to 10000 points (row, col) between 0 and 1, at least 3 of them distinct, enclosing an area greater than 0."

/*
 * Validates n points (22023 "<where>: <reason>", naming the first bad point
 * counted from 1), folds -0 to +0, and returns a new polygon.  overflow[i],
 * when given and not NULL, is the spelling of a number too large for float4
 * at flat position i (point i/2, row when i is even).
 */
extern Polygon *polygon_make(const PolyPoint *points, int n, const char *where,
							 char *const *overflow);

/*
 * Whether points that are otherwise valid enclose nothing: fewer than 3
 * points, fewer than 3 distinct ones, or no area (what polygon_make refuses
 * of them).
 */
extern bool polygon_points_degenerate(const PolyPoint *points, int n);

/* Parses {"points": [{"row": r, "col": c}, …]}; 22023 on any problem. */
extern Polygon *polygon_from_jsonb_value(const JsonbValue *v, const char *where);
extern Jsonb *polygon_to_jsonb(const Polygon *p);

/* ----------------------------------------------------------- keypoint */

/* A single point, in [0,1]; 8 bytes, passed by reference like bbox. */
typedef struct Keypoint
{
	float4		row;
	float4		col;
} Keypoint;

#define DatumGetKeypointP(X) ((Keypoint *) DatumGetPointer(X))
#define PG_GETARG_KEYPOINT_P(n) DatumGetKeypointP(PG_GETARG_DATUM(n))

extern void keypoint_from_jsonb_value(const JsonbValue *v, const char *where, Keypoint *out);
extern Jsonb *keypoint_to_jsonb(const Keypoint *k);

/* --------------------------------------------------------------- mask */

/*
 * Height and width are at most 2^15 pixels each, so the pixel count (2^30)
 * and every run length fit a signed 32-bit integer, as in pycocotools
 * (which keeps them in a 32-bit unsigned int), and a count never needs
 * more than 7 characters of the compressed string.  Images of that size
 * are far beyond any annotation tool's.
 */
#define MASK_MAX_SIDE 32768

/*
 * Stored: the size, the number of runs and COCO's compressed string of the
 * canonical runs (no zero-length run but a leading one, see rle.h), so
 * equal masks have equal bytes.  The string is not NUL-terminated.
 */
typedef struct Mask
{
	int32		vl_len_;
	int32		height;
	int32		width;
	int32		nruns;
	char		rle[FLEXIBLE_ARRAY_MEMBER];
} Mask;

#define MASK_RLE_LEN(m) ((int) (VARSIZE(m) - offsetof(Mask, rle)))
#define DatumGetMaskP(X) ((Mask *) PG_DETOAST_DATUM(X))
#define PG_GETARG_MASK_P(n) DatumGetMaskP(PG_GETARG_DATUM(n))

/* ------------------------------------------------- shared I/O helpers */

/* Length of a number spelled at s (0 if none); see shape_io.c. */
extern int	shape_number_length(const char *s);

/* Decimal text (already scanned) to float4; *overflow gets the spelling when too large. */
extern float4 shape_decimal_to_float4(const char *s, int len, char **overflow);

/* A JSON number to float4, rounded from its decimal text. */
extern float4 shape_numeric_to_float4(Numeric num, char **overflow);

/* A float4 as the numeric of its shortest spelling (for JSON output). */
extern Numeric shape_float4_numeric(float4 f);

/* Shortest text of a float4 (palloc'd). */
extern char *shape_float4_text(float4 f);

/*
 * The double nearest to the shortest decimal spelling of f: measures
 * (areas, pixels) come out as for the numbers people wrote.
 */
extern double shape_float4_decimal(float4 f);

/* An original spelling for a message, cut short when long. */
extern char *shape_shown_text(const char *s, size_t len);

/* JSON type name of a value, for messages. */
extern const char *shape_json_type_name(const JsonbValue *v);

/*
 * The object value v as a container (jbvBinary object), or 22023
 * "<where>: expected an object, got …" with detail.
 */
extern JsonbContainer *shape_json_object(const JsonbValue *v, const char *where,
										 const char *detail);

/*
 * Value of key in object, or NULL.  When the object has keys other than
 * the nallowed ones, 22023 "<where>: unknown key "…"".
 */
extern bool shape_json_get(JsonbContainer *obj, const char *key, JsonbValue *out);
extern void shape_json_only_keys(JsonbContainer *obj, const char *const *allowed,
								 int nallowed, const char *where, const char *detail);

/* Adds a key to an object under construction. */
extern void shape_push_key(JsonbParseState **state, const char *key);
extern void shape_push_float4(JsonbParseState **state, float4 f);

#endif							/* ANNOTATIONS_SHAPES_H */
