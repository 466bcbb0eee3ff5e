"""Pastes one real LFW photo (a 250x250 face), resized to SIDE x SIDE (bicubic), into a gray WIDTH x HEIGHT
frame at (X, Y) and saves it as a JPEG (quality 92). Used for the large-photo alignment tests and for
the memory measurements of docs/alignment.md. Prints nothing.

usage: make_large_face_photo.py SOURCE.jpg OUT.jpg WIDTH HEIGHT SIDE X Y
"""
import sys

from PIL import Image

source, out = sys.argv[1:3]
width, height, side, x, y = (int(v) for v in sys.argv[3:8])
photo = Image.open(source).convert("RGB")
frame = Image.new("RGB", (width, height), (128, 128, 128))
frame.paste(photo.resize((side, side), Image.BICUBIC), (x, y))
frame.save(out, quality=92)
