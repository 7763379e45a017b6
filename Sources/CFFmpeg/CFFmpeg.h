#ifndef CFFMPEG_H
#define CFFMPEG_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

// Swift cannot import these macros (casts, FFERRTAG, function-like macros), so they are re-exposed
// as static inline functions whose values come from FFmpeg's own headers.

/// `AVERROR(e)`: FFmpeg's negative error code for a POSIX errno.
static inline int CFFmpeg_AVERROR(int errnum) { return AVERROR(errnum); }
/// `AVERROR_EOF`: end of input.
static inline int CFFmpeg_AVERROR_EOF(void) { return AVERROR_EOF; }
/// `AVERROR_INVALIDDATA`: the data is not what the demuxer or parser expects.
static inline int CFFmpeg_AVERROR_INVALIDDATA(void) { return AVERROR_INVALIDDATA; }
/// `AVERROR_DECODER_NOT_FOUND`: FFmpeg was built without a decoder for the codec.
static inline int CFFmpeg_AVERROR_DECODER_NOT_FOUND(void) { return AVERROR_DECODER_NOT_FOUND; }
/// `AVERROR_ENCODER_NOT_FOUND`: FFmpeg was built without an encoder for the codec.
static inline int CFFmpeg_AVERROR_ENCODER_NOT_FOUND(void) { return AVERROR_ENCODER_NOT_FOUND; }
/// `AV_NOPTS_VALUE`: "no timestamp".
static inline int64_t CFFmpeg_AV_NOPTS_VALUE(void) { return AV_NOPTS_VALUE; }

#endif
