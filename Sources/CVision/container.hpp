// Structure checks on the bytes before decoding (no OpenCV): is a JPEG or PNG complete, and how large does
// the header of a JPEG, PNG, TIFF, WebP or BMP say the image is. libjpeg decodes a truncated JPEG
// "successfully" (grey rows below the cut, a warning on stderr), so truncation has to be found here; the
// size is read so that a small compressed file claiming a huge image (a decompression bomb: a 1 MB
// deflate TIFF of 30000x30000 decodes to 2.7 GB) is refused before OpenCV allocates its pixels.
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
