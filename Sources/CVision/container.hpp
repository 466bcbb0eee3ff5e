// Structure checks on the bytes before decoding (no OpenCV): is a JPEG or PNG complete, and how large does
// the header of a JPEG, PNG, TIFF, WebP or BMP say the image is. libjpeg decodes a truncated JPEG
// "successfully" (grey rows below the cut, a warning on stderr), so truncation has to be found here; the
// size is read so that a small compressed file claiming a huge image (a decompression bomb: deflate
// compresses zeros about 1000:1, so a TIFF of 30000x30000 can be a few MB and decode to 2.7 GB) is
// refused before OpenCV allocates its pixels (OpenCV's own limit is 2^30 pixels).
#pragma once

#include <cstddef>
#include <cstdint>

namespace cvision {

enum class Container { unknown, jpeg, png, tiff, webp, bmp };

struct ContainerInfo {
    Container kind = Container::unknown;
    /// false when the bytes end before the format's end marker (JPEG EOI, PNG IEND; other formats: true).
    bool complete = true;
    /// The header's size, 0 when not found.
    int64_t width = 0;
    int64_t height = 0;
};

ContainerInfo inspect_container(const uint8_t *bytes, size_t count);

}  // namespace cvision
