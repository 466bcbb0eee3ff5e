// Shared by the shim's C++ files: the thread-local error slot, the guard that turns every C++ exception
// into a status code (no exception crosses into Swift), and views of caller-owned RGB buffers as cv::Mat.
#pragma once

#include "shim_guard.hpp"

#include <opencv2/core.hpp>

#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "cvision.h"

namespace cvision {

void set_error(const std::string &message);

/// Runs `body`; returns 0, or 1 with the exception's message stored for cv_last_error() (`shim::guard`).
template <typename F>
int guard(F &&body) {
    return shim::guard(std::forward<F>(body), set_error);
}

/// Checks an image size given by the caller (positive, and width * height * 3 fits in an int for OpenCV).
inline void check_size(int width, int height, const char *what) {
    if (width <= 0 || height <= 0) {
        throw std::invalid_argument(std::string(what) + ": size " + std::to_string(width) + "x" +
                                    std::to_string(height) + " is not positive");
    }
    if (static_cast<int64_t>(width) * height * 3 > INT32_MAX) {
        throw std::invalid_argument(std::string(what) + ": size " + std::to_string(width) + "x" +
                                    std::to_string(height) + " is too large for OpenCV");
    }
}

/// A cv::Mat header over a caller-owned RGB buffer (H x W x 3, row-major, no copy).
inline cv::Mat view(uint8_t *rgb, int width, int height, const char *what) {
    if (rgb == nullptr) throw std::invalid_argument(std::string(what) + ": null pixel buffer");
    check_size(width, height, what);
    return cv::Mat(height, width, CV_8UC3, rgb);
}

inline cv::Mat view(const uint8_t *rgb, int width, int height, const char *what) {
    return view(const_cast<uint8_t *>(rgb), width, height, what);
}

/// OpenCV's functions write into `dst` in place when it already has the right size and type; this checks
/// that they did (a reallocation would silently leave the caller's buffer untouched).
inline void check_in_place(const cv::Mat &dst, const uint8_t *buffer, const char *what) {
    if (dst.data != buffer) throw std::logic_error(std::string(what) + ": OpenCV reallocated the output");
}

/// A buffer from malloc, freed unless released to the caller (cv_buffer_free).
struct MallocBuffer {
    uint8_t *data = nullptr;
    explicit MallocBuffer(size_t count) : data(static_cast<uint8_t *>(std::malloc(count == 0 ? 1 : count))) {
        if (data == nullptr) throw std::bad_alloc();
    }
    ~MallocBuffer() { std::free(data); }
    MallocBuffer(const MallocBuffer &) = delete;
    MallocBuffer &operator=(const MallocBuffer &) = delete;
    uint8_t *release() {
        uint8_t *out = data;
        data = nullptr;
        return out;
    }
};

}  // namespace cvision
