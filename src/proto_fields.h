/*
 * proto_fields.h — fields of Clarifai's messages that this store does not
 * keep.
 *
 * Clients built on Clarifai's protobuf schema may write every field of a
 * message, unused ones at their default (null, "", 0, false, []). The
 * request readers accept exactly these extra keys, and only at their
 * default: a value there would be dropped, so it is an error.
 */
#ifndef ANNOTATIONS_PROTO_FIELDS_H
#define ANNOTATIONS_PROTO_FIELDS_H

#include "json_read.h"

extern const JrKeys proto_data_unkept;			/* an annotation's data */
extern const JrKeys proto_frame_data_unkept;	/* a frame's data */
extern const JrKeys proto_region_data_unkept;	/* a region's data */
extern const JrKeys proto_input_data_unkept;	/* an input's data */
extern const JrKeys proto_region_unkept;
extern const JrKeys proto_region_info_unkept;
extern const JrKeys proto_frame_unkept;
extern const JrKeys proto_frame_info_unkept;
extern const JrKeys proto_concept_unkept;
extern const JrKeys proto_status_unkept;
extern const JrKeys proto_worker_unkept;
extern const JrKeys proto_user_unkept;
extern const JrKeys proto_model_unkept;
extern const JrKeys proto_model_version_unkept;
extern const JrKeys proto_input_unkept;
extern const JrKeys proto_image_unkept;
extern const JrKeys proto_image_info_unkept;
extern const JrKeys proto_video_unkept;
extern const JrKeys proto_text_unkept;
extern const JrKeys proto_audio_unkept;

#endif
