#ifndef FERRY_CZLIB_SHIM_H
#define FERRY_CZLIB_SHIM_H

// Debian 12's zlib1g-dev (1.2.13): gRPC's gzip and deflate message encodings.
#include <zlib.h>

// deflateInit2/inflateInit2 are macros; these wrappers pass the library's own version and stream
// size, which Swift cannot expand.
static inline int ferry_deflate_init(z_streamp stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}

static inline int ferry_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

#endif
