"""Writes a valid 20000x20000 PNG that is small on disk (1-bit grayscale, all black, deflated: about 60 KB),
for facenet serve's test that an image's pixel count is refused from its header before any decoding.

usage: serve_big_png.py OUT.png [SIDE]
"""
import struct
import sys
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    out, side = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte 0, then 1 bit per pixel
    deflate = zlib.compressobj(9)
    data = b"".join(deflate.compress(row) for _ in range(side)) + deflate.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # bit depth 1, grayscale
    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
