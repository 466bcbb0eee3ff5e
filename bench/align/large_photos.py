"""Peak memory, time and face recall of `facenet detect` on large photos, by --detect-max-side.

Makes two photos from LFW (the first image of 48 identities, sorted, each resized bicubic and pasted in
an 8 x 6 grid on a gray frame): 4000x3000 (12 MP) with the 250x250 photos scaled to sides 60...400 px
(face boxes about 25...160 px), and 8000x8000 (64 MP) with the same grid scaled 2x (and two more
blank rows). Runs `facenet detect` under /usr/bin/time -v once per bound and prints, per photo and bound:
peak RSS (MB), wall time (s), faces found, and the recall of the 48 pasted faces: the ground truth of
each is the face `facenet detect` finds nearest the centre of its 250x250 original, mapped by the paste's
scale and offset; it counts as found when a box has IoU >= 0.5 with it. Also the smallest ground-truth
box found and the largest one missed.

usage: large_photos.py FACENET_BINARY LFW_DIR WORK_DIR [BOUND ...]   (default bounds: 0 1024 1280 1600 2048 3000)
"""
import json
import os
import re
import subprocess
import sys

from PIL import Image

binary, lfw, work = sys.argv[1:4]
bounds = [int(b) for b in sys.argv[4:]] or [0, 1024, 1280, 1600, 2048, 3000]
os.makedirs(work, exist_ok=True)
identities = sorted(os.listdir(lfw))[:48]
faces = [os.path.join(lfw, i, sorted(os.listdir(os.path.join(lfw, i)))[0]) for i in identities]


def make(path, width, height, scale):
    if os.path.exists(path):
        return
    frame = Image.new("RGB", (width, height), (128, 128, 128))
    for k, face in enumerate(faces):
        side = int(scale * (60 + k * (340 / 47)))
        row, col = divmod(k, 8)
        cell = 500 * scale
        frame.paste(Image.open(face).convert("RGB").resize((side, side), Image.BICUBIC),
                    (int(col * cell + (cell - side) / 2), int(row * cell + (cell - side) / 2)))
    frame.save(path, quality=92)


def detect(path, bound):
    run = subprocess.run(["/usr/bin/time", "-v", binary, "detect", path, "--detect-max-side", str(bound)],
                         capture_output=True, text=True, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    if run.returncode != 0:
        raise SystemExit(run.stderr)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", run.stderr).group(1)
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    boxes = [json.loads(line)["box"] for line in run.stdout.splitlines()]
    return rss, seconds, boxes


def truth(scale):
    """The main face of each pasted photo, in the large photo's pixels."""
    run = subprocess.run([binary, "detect"] + faces, capture_output=True, text=True,
                         env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    found = {}
    for line in run.stdout.splitlines():
        face = json.loads(line)
        b = face["box"]
        distance = abs((b[0] + b[2]) / 2 - 125) + abs((b[1] + b[3]) / 2 - 125)
        if face["path"] not in found or distance < found[face["path"]][0]:
            found[face["path"]] = (distance, b)
    boxes = []
    for k, face in enumerate(faces):
        if face not in found:
            continue
        side = int(scale * (60 + k * (340 / 47)))
        row, col = divmod(k, 8)
        cell = 500 * scale
        x0, y0 = int(col * cell + (cell - side) / 2), int(row * cell + (cell - side) / 2)
        f = side / 250
        b = found[face][1]
        boxes.append([x0 + b[0] * f, y0 + b[1] * f, x0 + b[2] * f, y0 + b[3] * f])
    return boxes


def iou(a, b):
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0


photos = [("12 MP 4000x3000", os.path.join(work, "grid12.jpg"), 4000, 3000, 1),
          ("64 MP 8000x8000", os.path.join(work, "grid64.jpg"), 8000, 8000, 2)]
for label, path, width, height, scale in photos:
    make(path, width, height, scale)
    reference = truth(scale)
    for bound in bounds:
        rss, seconds, boxes = detect(path, bound)
        found = [r for r in reference if any(iou(r, b) >= 0.5 for b in boxes)]
        missed = [r for r in reference if r not in found]
        print(f"{label}  max-side {bound:5d}: peak {rss:5.0f} MB, {seconds:5.1f} s, {len(boxes):3d} boxes, "
              f"recall {len(found)}/{len(reference)}, smallest found {min((r[2] - r[0] for r in found), default=0):.0f} px, "
              f"largest missed {max((r[2] - r[0] for r in missed), default=0):.0f} px", flush=True)
