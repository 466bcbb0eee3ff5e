// JPEG: walk the marker segments from SOI; after each SOS skip the entropy-coded data (where 0xFF is
// followed by a stuffed 0x00, a restart marker 0xD0-0xD7, or fill 0xFF) to the next marker; the file is
// complete when EOI (FFD9) is reached. Bytes after EOI (vendor trailers) are ignored. A thumbnail's EOI
// inside an APP1 segment is skipped with the segment, so it does not count.
// PNG: walk the chunks (length, type, data, CRC) from the signature; complete when IEND is reached.
// TIFF, WebP, BMP: only the header's size is read.
#include <cstring>

#include "container.hpp"

namespace cvision {

static uint32_t be16(const uint8_t *p) { return (uint32_t(p[0]) << 8) | p[1]; }
static uint32_t be32(const uint8_t *p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

static bool is_sof(uint8_t marker) {
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

static ContainerInfo inspect_jpeg(const uint8_t *b, size_t n) {
    ContainerInfo info;
    info.kind = Container::jpeg;
    info.complete = false;
    size_t i = 2;  // after SOI
    while (true) {
        // Find the next marker (libjpeg tolerates stray bytes between segments, with a warning).
        const void *ff = i < n ? std::memchr(b + i, 0xFF, n - i) : nullptr;
        if (ff == nullptr) return info;
        i = static_cast<size_t>(static_cast<const uint8_t *>(ff) - b);
        while (i < n && b[i] == 0xFF) ++i;  // fill bytes
        if (i >= n) return info;
        const uint8_t marker = b[i++];
        if (marker == 0xD9) {  // EOI
            info.complete = true;
            return info;
        }
        if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
            continue;  // no length field
        }
        if (i + 2 > n) return info;
        const size_t length = be16(b + i);
        if (length < 2) {  // corrupt; leave the verdict to the decoder
            info.complete = true;
            return info;
        }
        if (i + length > n) return info;
        if (is_sof(marker) && length >= 7) {
            info.height = be16(b + i + 3);
            info.width = be16(b + i + 5);
        }
        i += length;
        if (marker == 0xDA) {  // SOS: skip the entropy-coded data up to the next real marker
            while (true) {
                const void *next = i < n ? std::memchr(b + i, 0xFF, n - i) : nullptr;
                if (next == nullptr) return info;
                i = static_cast<size_t>(static_cast<const uint8_t *>(next) - b);
                if (i + 1 >= n) return info;
                const uint8_t after = b[i + 1];
                if (after == 0x00 || (after >= 0xD0 && after <= 0xD7)) {
                    i += 2;
                } else if (after == 0xFF) {
                    i += 1;
                } else {
                    break;  // a marker: back to the segment loop, which starts at this 0xFF
                }
            }
        }
    }
}

static ContainerInfo inspect_png(const uint8_t *b, size_t n) {
    ContainerInfo info;
    info.kind = Container::png;
    info.complete = false;
    size_t i = 8;  // after the signature
    while (true) {
        if (i + 8 > n) return info;
        const uint64_t length = be32(b + i);
        const uint8_t *type = b + i + 4;
        if (uint64_t(i) + 12 + length > n) return info;
        if (std::memcmp(type, "IHDR", 4) == 0 && length >= 8) {
            info.width = be32(b + i + 8);
            info.height = be32(b + i + 12);
        }
        if (std::memcmp(type, "IEND", 4) == 0) {
            info.complete = true;
            return info;
        }
        i += 12 + static_cast<size_t>(length);
    }
}

static uint32_t le16(const uint8_t *p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8); }
static uint32_t le32(const uint8_t *p) { return le16(p) | (le16(p + 2) << 16); }

// TIFF (baseline, not BigTIFF): the first IFD's ImageWidth (256) and ImageLength (257), SHORT or LONG.
static ContainerInfo inspect_tiff(const uint8_t *b, size_t n) {
    ContainerInfo info;
    info.kind = Container::tiff;
    const bool little = b[0] == 'I';
    auto u16 = [&](size_t at) { return little ? le16(b + at) : be16(b + at); };
    auto u32 = [&](size_t at) { return little ? le32(b + at) : be32(b + at); };
    const size_t ifd = u32(4);
    if (ifd + 2 > n) return info;
    const size_t entries = u16(ifd);
    for (size_t k = 0; k < entries && ifd + 2 + 12 * (k + 1) <= n; ++k) {
        const size_t at = ifd + 2 + 12 * k;
        const uint32_t tag = u16(at), type = u16(at + 2);
        if (tag != 256 && tag != 257) continue;
        const int64_t value = type == 3 ? u16(at + 8) : type == 4 ? u32(at + 8) : 0;  // SHORT / LONG
        (tag == 256 ? info.width : info.height) = value;
    }
    return info;
}

// WebP: the canvas size of a VP8X chunk, or the frame size of a lone VP8 (lossy) or VP8L (lossless) one.
static ContainerInfo inspect_webp(const uint8_t *b, size_t n) {
    ContainerInfo info;
    info.kind = Container::webp;
    if (n >= 30 && std::memcmp(b + 12, "VP8X", 4) == 0) {
        info.width = 1 + int64_t(le16(b + 24) | (uint32_t(b[26]) << 16));
        info.height = 1 + int64_t(le16(b + 27) | (uint32_t(b[29]) << 16));
    } else if (n >= 30 && std::memcmp(b + 12, "VP8 ", 4) == 0 && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A) {
        info.width = le16(b + 26) & 0x3FFF;
        info.height = le16(b + 28) & 0x3FFF;
    } else if (n >= 25 && std::memcmp(b + 12, "VP8L", 4) == 0 && b[20] == 0x2F) {
        const uint32_t bits = le32(b + 21);
        info.width = 1 + int64_t(bits & 0x3FFF);
        info.height = 1 + int64_t((bits >> 14) & 0x3FFF);
    }
    return info;
}

// BMP: the DIB header's size; the OS/2 core header has 16-bit fields, the others signed 32-bit ones
// (a negative height is a top-down bitmap).
static ContainerInfo inspect_bmp(const uint8_t *b, size_t n) {
    ContainerInfo info;
    info.kind = Container::bmp;
    if (n < 26) return info;
    const uint32_t header = le32(b + 14);
    // The DIB header sizes of the BMP versions; anything else (a text starting with "BM") is not read.
    if (header != 12 && header != 40 && header != 52 && header != 56 && header != 64 && header != 108 &&
        header != 124) {
        return info;
    }
    if (header == 12) {
        info.width = le16(b + 18);
        info.height = le16(b + 20);
    } else {
        info.width = static_cast<int32_t>(le32(b + 18));
        info.height = static_cast<int32_t>(le32(b + 22));
        if (info.height < 0) info.height = -info.height;
    }
    return info;
}

ContainerInfo inspect_container(const uint8_t *bytes, size_t count) {
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    const uint8_t *b = bytes;
    if (count >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return inspect_jpeg(b, count);
    if (count >= 8 && std::memcmp(b, png_signature, 8) == 0) return inspect_png(b, count);
    if (count >= 8 && (std::memcmp(b, "II*\0", 4) == 0 || std::memcmp(b, "MM\0*", 4) == 0)) return inspect_tiff(b, count);
    if (count >= 16 && std::memcmp(b, "RIFF", 4) == 0 && std::memcmp(b + 8, "WEBP", 4) == 0) return inspect_webp(b, count);
    if (count >= 18 && b[0] == 'B' && b[1] == 'M') return inspect_bmp(b, count);
    return ContainerInfo{};
}

}  // namespace cvision
