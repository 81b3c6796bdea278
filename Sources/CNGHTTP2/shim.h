// The C surface of libnghttp2 that Ferry uses.
//
// Swift calls nghttp2 directly wherever it can. The prefixed static inline helpers below exist only
// for what Swift cannot express: nghttp2 reports sizes as `ssize_t` and errors as negative values of
// an anonymous-looking enum, and a few frame fields live inside unions that Swift imports awkwardly.
// Only FerryHTTP2's session type uses this module.
#ifndef CNGHTTP2_SHIM_H
#define CNGHTTP2_SHIM_H

#include <nghttp2/nghttp2.h>

// Ferry needs libnghttp2 1.52 or later, with the limits against rapid reset
// (nghttp2_option_set_stream_reset_rate_limit, upstream 1.57) and CONTINUATION floods
// (nghttp2_option_set_max_continuations, upstream 1.61). Debian 12's 1.52.0-1+deb12u2 backports both;
// an older library fails here or at link time rather than running without them.
#if NGHTTP2_VERSION_NUM < 0x013400
#error "Ferry needs libnghttp2 1.52 or later (with the rapid-reset and CONTINUATION limits of 1.57 and 1.61)"
#endif

/// The type of a received or sent frame (`NGHTTP2_HEADERS`, `NGHTTP2_DATA`, ...).
static inline uint8_t cnghttp2_frame_type(const nghttp2_frame *frame) {
    return frame->hd.type;
}

/// The flags of a received or sent frame (`NGHTTP2_FLAG_END_STREAM`, ...).
static inline uint8_t cnghttp2_frame_flags(const nghttp2_frame *frame) {
    return frame->hd.flags;
}

/// The stream a frame belongs to (0 for connection-level frames).
static inline int32_t cnghttp2_frame_stream_id(const nghttp2_frame *frame) {
    return frame->hd.stream_id;
}

/// The category of a HEADERS frame: request, response, push response or trailers (`NGHTTP2_HCAT_*`).
static inline int cnghttp2_frame_headers_category(const nghttp2_frame *frame) {
    return (int)frame->headers.cat;
}

/// The error code carried by a GOAWAY frame.
static inline uint32_t cnghttp2_frame_goaway_error_code(const nghttp2_frame *frame) {
    return frame->goaway.error_code;
}

/// The last stream id a GOAWAY frame promises to process.
static inline int32_t cnghttp2_frame_goaway_last_stream_id(const nghttp2_frame *frame) {
    return frame->goaway.last_stream_id;
}

/// A GOAWAY frame's debug data (e.g. "too_many_pings") and its length.
static inline const uint8_t *cnghttp2_frame_goaway_debug_data(const nghttp2_frame *frame) {
    return frame->goaway.opaque_data;
}

static inline size_t cnghttp2_frame_goaway_debug_data_length(const nghttp2_frame *frame) {
    return frame->goaway.opaque_data_len;
}

/// The stream pointer stored in a data source (Ferry keeps none: streams are looked up by id).
static inline void *cnghttp2_data_source_ptr(const nghttp2_data_source *source) {
    return source->ptr;
}

#endif
