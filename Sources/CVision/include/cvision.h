// cvision.h: a thin C API over OpenCV 4.6 (which has only a C++ API), in the style of ctorch.h.
//
// Conventions (docs/architecture.md):
// - Every function is cv_<noun>_<verb>, returns 0 on success and 1 on failure, and writes its results
//   through out-pointers (the first arguments).
// - On failure the C++ exception's message (cv::Exception, std::exception) is stored in a thread-local
//   slot; cv_last_error() reads it. No C++ exception ever crosses this boundary.
// - Images are plain caller-owned buffers of 8-bit RGB, H x W x 3, row-major, interleaved
//   (byte (y * width + x) * 3 + c). The memory this API allocates is the result of cv_image_decode and
//   cv_image_encode_*, freed with cv_buffer_free, and the two video handles (cv_video_reader,
//   cv_video_writer), each freed by its own function.
// - Colours are given in the buffer's channel order (r, g, b); nothing here swaps to OpenCV's BGR except
//   decode and encode, which convert at the boundary.
// - No OpenCV types appear here.
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- errors and runtime -------------------------------------------------------------------------
/// The message of the last failure on this thread ("" if none).
const char *cv_last_error(void);
/// cv::setNumThreads: the size of OpenCV's own pool for resize/cvtColor (0 or 1: run on the caller's thread).
int cv_runtime_set_num_threads(int n);
/// Frees a buffer returned by this API (cv_image_decode, cv_image_encode_png, cv_image_encode_jpeg).
void cv_buffer_free(void *buffer);

// ---- decode -------------------------------------------------------------------------------------
/// Why a decode failed (written to *out_reason; CV_DECODE_OK on success).
typedef enum {
    CV_DECODE_OK = 0,
    /// No bytes at all.
    CV_DECODE_EMPTY = 1,
    /// No OpenCV decoder recognises the bytes, or the decoder failed (corrupt data).
    CV_DECODE_NOT_AN_IMAGE = 2,
    /// A JPEG with no EOI marker after its last scan, or a PNG that ends before its IEND chunk.
    CV_DECODE_TRUNCATED = 3,
    /// The header (JPEG, PNG, TIFF, WebP, BMP) or the decoded image has more than max_pixels pixels.
    CV_DECODE_TOO_LARGE = 4,
} cv_decode_reason;

/// Decodes an encoded image (any format OpenCV 4.6 reads) to 8-bit RGB.
/// - Grayscale is replicated to RGB; an alpha channel is dropped (not composited); 16-bit samples are
///   scaled with rounding to v / 257 (OpenCV's own IMREAD_COLOR path truncates to v >> 8 instead);
///   CMYK JPEGs are converted by libjpeg; the EXIF orientation tag is applied (OpenCV's IMREAD_COLOR
///   default: the pixels come back upright, width/height are those after rotation).
/// - JPEG and PNG are checked for truncation; the header size of JPEG, PNG, TIFF, WebP and BMP against
///   max_pixels before decoding (no pixel memory allocated); other formats after decoding.
/// On success writes a new buffer of width*height*3 bytes (free with cv_buffer_free), its size, and
/// CV_DECODE_OK. On a data failure it returns 1 with *out_reason set (and *out_width/*out_height set to
/// the header size for CV_DECODE_TOO_LARGE); cv_last_error() holds a message. An OpenCV exception returns
/// 1 with CV_DECODE_NOT_AN_IMAGE.
int cv_image_decode(uint8_t **out_rgb, int *out_width, int *out_height, int *out_reason,
                    const uint8_t *bytes, size_t count, int64_t max_pixels);

// ---- encode -------------------------------------------------------------------------------------
/// PNG of an RGB image (compression 0..9). Writes a new buffer (free with cv_buffer_free) and its length.
int cv_image_encode_png(uint8_t **out_bytes, size_t *out_count, const uint8_t *rgb, int width, int height,
                        int compression);
/// Baseline JPEG of an RGB image (quality 0..100, 4:2:0 chroma as OpenCV's default).
int cv_image_encode_jpeg(uint8_t **out_bytes, size_t *out_count, const uint8_t *rgb, int width, int height,
                         int quality);

// ---- geometry: src and dst are caller-owned RGB buffers of the sizes given ---------------------------
typedef enum {
    /// cv::INTER_LINEAR: bilinear on pixel centres (x_src = (x_dst + 0.5) * sw / dw - 0.5), no antialiasing.
    CV_INTER_LINEAR = 0,
    /// cv::INTER_AREA: pixel-area averaging when shrinking (bilinear when enlarging).
    CV_INTER_AREA = 1,
    /// cv::INTER_NEAREST.
    CV_INTER_NEAREST = 2,
    /// cv::INTER_CUBIC.
    CV_INTER_CUBIC = 3,
} cv_interpolation;

/// cv::resize of src (sw x sh) into dst (dw x dh).
int cv_image_resize(uint8_t *dst, int dw, int dh, const uint8_t *src, int sw, int sh, cv_interpolation interp);
/// cv::flip around the vertical axis (mirror left-right) of src into dst (same size; dst != src).
int cv_image_flip_horizontal(uint8_t *dst, const uint8_t *src, int width, int height);
/// cv::warpAffine: dst(x, y) = src(M^-1 (x, y)), M = [m0 m1 m2; m3 m4 m5] maps source to destination
/// coordinates (pixel centres at integers). Pixels from outside src take the constant colour (r, g, b).
int cv_image_warp_affine(uint8_t *dst, int dw, int dh, const uint8_t *src, int sw, int sh, const double *m6,
                         cv_interpolation interp, uint8_t r, uint8_t g, uint8_t b);

// ---- drawing, in place on an RGB canvas (coordinates in pixels, origin top-left, y down) ----------
/// Fills the rectangle [x0, x1] x [y0, y1] (inclusive, clipped), or outlines it when thickness > 0.
int cv_canvas_draw_rectangle(uint8_t *rgb, int width, int height, int x0, int y0, int x1, int y1,
                             uint8_t r, uint8_t g, uint8_t b, int thickness);
/// A polyline through `count` points (xy: x0, y0, x1, y1, ...), sub-pixel positions kept (1/256 px).
/// antialias != 0 uses cv::LINE_AA, else cv::LINE_8. closed != 0 joins the last point to the first.
int cv_canvas_draw_polyline(uint8_t *rgb, int width, int height, const double *xy, int count, int closed,
                            uint8_t r, uint8_t g, uint8_t b, int thickness, int antialias);
/// A filled polygon through `count` points (xy: x0, y0, x1, y1, ...), sub-pixel positions kept.
int cv_canvas_fill_polygon(uint8_t *rgb, int width, int height, const double *xy, int count, uint8_t r, uint8_t g,
                           uint8_t b, int antialias);
/// A circle; thickness < 0 fills it.
int cv_canvas_draw_circle(uint8_t *rgb, int width, int height, double cx, double cy, double radius,
                          uint8_t r, uint8_t g, uint8_t b, int thickness, int antialias);
/// cv::putText with FONT_HERSHEY_SIMPLEX; (x, y) is the left end of the text's baseline. UTF-8 is accepted
/// but the Hershey font draws only ASCII (other characters come out as '?').
int cv_canvas_draw_text(uint8_t *rgb, int width, int height, const char *text, int x, int y, double scale,
                        uint8_t r, uint8_t g, uint8_t b, int thickness, int antialias);
/// cv::getTextSize for FONT_HERSHEY_SIMPLEX: the box above the baseline and the depth below it.
int cv_text_measure(int *out_width, int *out_height, int *out_baseline, const char *text, double scale,
                    int thickness);

/// Variance of the Laplacian (3x3 kernel, reflected borders) of the image's luma: a sharpness measure,
/// low for a blurred image (Pech-Pacheco et al. 2000, "Diatom autofocusing in brightfield microscopy").
int cv_image_laplacian_variance(double *out_variance, const uint8_t *rgb, int width, int height);

// ---- video (videoio: FFmpeg and GStreamer back ends) ------------------------------------------------
typedef struct cv_video_reader cv_video_reader;
typedef struct cv_video_writer cv_video_writer;

/// Opens a video file. Writes the handle, the frame size, the frame rate the container states (0 if none) and
/// its frame count (-1 if it states none; a truncated file may state more than it holds).
int cv_video_open_file(cv_video_reader **out_reader, int *out_width, int *out_height, double *out_fps,
                       int64_t *out_frames, const char *path);
/// Opens camera `index` (cv::VideoCapture(index)); its frame count is -1.
int cv_video_open_camera(cv_video_reader **out_reader, int *out_width, int *out_height, double *out_fps,
                         int64_t *out_frames, int index);
/// Reads the next frame into `rgb` (the video's size). *out_got is 0 at the end of the stream (or when the
/// decoder stops on damaged data); a frame whose size differs from the video's is an error.
int cv_video_read(int *out_got, uint8_t *rgb, int width, int height, cv_video_reader *reader);
void cv_video_reader_free(cv_video_reader *reader);

/// Opens a video file for writing through FFmpeg with a four-character codec ("mp4v" for .mp4).
int cv_video_writer_open(cv_video_writer **out_writer, const char *path, const char *fourcc, double fps, int width,
                         int height);
/// Appends a frame of the writer's size.
int cv_video_write(cv_video_writer *writer, const uint8_t *rgb, int width, int height);
/// Finishes the file (the container's index is written here) and frees the handle.
int cv_video_writer_close(cv_video_writer *writer);

#ifdef __cplusplus
}
#endif

#endif  // CVISION_H
