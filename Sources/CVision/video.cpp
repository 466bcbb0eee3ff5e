// Video through OpenCV's videoio: a reader over a file or a camera and a writer, the two handles of this API.
// Files are read and written with the FFmpeg back end only (Debian's OpenCV also has GStreamer, whose
// failed probes of a damaged file print warnings to stderr); cameras open with any back end (V4L2 on Linux).
// Frames cross as RGB; the BGR swap is here.
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <memory>

#include "common.hpp"

using namespace cvision;

struct cv_video_reader {
    cv::VideoCapture capture;
    int width = 0;
    int height = 0;
    cv::Mat bgr;
};

struct cv_video_writer {
    cv::VideoWriter writer;
    int width = 0;
    int height = 0;
    cv::Mat bgr;
};

namespace {

/// Fills the reader's size and rate from the opened capture; refuses a capture that has no frame size.
void describe(cv_video_reader &reader, int *out_width, int *out_height, double *out_fps, int64_t *out_frames,
              const std::string &what) {
    reader.width = static_cast<int>(reader.capture.get(cv::CAP_PROP_FRAME_WIDTH));
    reader.height = static_cast<int>(reader.capture.get(cv::CAP_PROP_FRAME_HEIGHT));
    check_size(reader.width, reader.height, what.c_str());
    *out_width = reader.width;
    *out_height = reader.height;
    *out_fps = reader.capture.get(cv::CAP_PROP_FPS);
    const double frames = reader.capture.get(cv::CAP_PROP_FRAME_COUNT);
    *out_frames = frames > 0 ? static_cast<int64_t>(frames) : -1;
}

}  // namespace

extern "C" {

int cv_video_open_file(cv_video_reader **out_reader, int *out_width, int *out_height, double *out_fps,
                       int64_t *out_frames, const char *path) {
    return guard([&] {
        if (path == nullptr) throw std::invalid_argument("cv_video_open_file: null path");
        auto reader = std::make_unique<cv_video_reader>();
        if (!reader->capture.open(path, cv::CAP_FFMPEG)) {
            throw std::runtime_error("OpenCV's FFmpeg decoder cannot open it (not a video, or damaged)");
        }
        describe(*reader, out_width, out_height, out_fps, out_frames, "the video's frame");
        *out_reader = reader.release();
    });
}

int cv_video_open_camera(cv_video_reader **out_reader, int *out_width, int *out_height, double *out_fps,
                         int64_t *out_frames, int index) {
    return guard([&] {
        auto reader = std::make_unique<cv_video_reader>();
        if (!reader->capture.open(index, cv::CAP_ANY)) {
            throw std::runtime_error("camera " + std::to_string(index) + " could not be opened");
        }
        describe(*reader, out_width, out_height, out_fps, out_frames, "the camera's frame");
        *out_frames = -1;
        *out_reader = reader.release();
    });
}

int cv_video_read(int *out_got, uint8_t *rgb, int width, int height, cv_video_reader *reader) {
    return guard([&] {
        if (reader == nullptr) throw std::invalid_argument("cv_video_read: null reader");
        if (width != reader->width || height != reader->height) {
            throw std::invalid_argument("cv_video_read: buffer size differs from the video's");
        }
        cv::Mat dst = view(rgb, width, height, "cv_video_read");
        *out_got = 0;
        if (!reader->capture.read(reader->bgr) || reader->bgr.empty()) return;
        if (reader->bgr.cols != width || reader->bgr.rows != height || reader->bgr.type() != CV_8UC3) {
            throw std::runtime_error("a frame of " + std::to_string(reader->bgr.cols) + "x" +
                                     std::to_string(reader->bgr.rows) + " in a video of " + std::to_string(width) +
                                     "x" + std::to_string(height) + " (the size changed mid-stream)");
        }
        cv::cvtColor(reader->bgr, dst, cv::COLOR_BGR2RGB);
        check_in_place(dst, rgb, "cv_video_read");
        *out_got = 1;
    });
}

void cv_video_reader_free(cv_video_reader *reader) { delete reader; }

int cv_video_writer_open(cv_video_writer **out_writer, const char *path, const char *fourcc, double fps, int width,
                         int height) {
    return guard([&] {
        if (path == nullptr || fourcc == nullptr) throw std::invalid_argument("cv_video_writer_open: null argument");
        if (std::char_traits<char>::length(fourcc) != 4) {
            throw std::invalid_argument(std::string("codec '") + fourcc + "' is not a four-character code");
        }
        if (!(fps > 0 && fps <= 1000)) throw std::invalid_argument("frame rate " + std::to_string(fps) + " is not in (0, 1000]");
        check_size(width, height, "cv_video_writer_open");
        auto writer = std::make_unique<cv_video_writer>();
        const int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        if (!writer->writer.open(path, cv::CAP_FFMPEG, code, fps, cv::Size(width, height), true)) {
            throw std::runtime_error(std::string("OpenCV's FFmpeg writer cannot write codec '") + fourcc + "' to it");
        }
        writer->width = width;
        writer->height = height;
        *out_writer = writer.release();
    });
}

int cv_video_write(cv_video_writer *writer, const uint8_t *rgb, int width, int height) {
    return guard([&] {
        if (writer == nullptr) throw std::invalid_argument("cv_video_write: null writer");
        if (width != writer->width || height != writer->height) {
            throw std::invalid_argument("cv_video_write: frame size differs from the video's");
        }
        cv::cvtColor(view(rgb, width, height, "cv_video_write"), writer->bgr, cv::COLOR_RGB2BGR);
        writer->writer.write(writer->bgr);
    });
}

int cv_video_writer_close(cv_video_writer *writer) {
    return guard([&] {
        if (writer == nullptr) return;
        std::unique_ptr<cv_video_writer> owned(writer);
        owned->writer.release();
    });
}

}  // extern "C"
