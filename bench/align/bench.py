"""bench/align: images/s of `facenet align` against facenet-pytorch 2.6.0's MTCNN doing the same job
(detect + crop + save) on the same LFW images with the same thread count, in one invocation.

Reference: `MTCNN(image_size=160, margin=32, min_face_size=20, thresholds=[0.6, 0.7, 0.7], factor=0.709,
post_process=False)` called per image with `save_path` (facenet-pytorch detects, crops the chosen face and
writes the PNG), Debian's torch 1.13 + torchvision 0.14, PIL decoding. Ours: the release `facenet align`
(160 px, margin 32) into an empty folder.

usage: bench.py [--images N] [--threads T]   (run by bench/align/run.sh)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import torch
from PIL import Image

from facenet_pytorch.models.mtcnn import MTCNN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")


def first_images(count):
    """The first image of each identity, identities sorted, then the second images, ... until `count`."""
    people = sorted(os.listdir(LFW))
    chosen = []
    for person in people:
        names = sorted(os.listdir(os.path.join(LFW, person)))
        chosen.append((person, names[0]))
        if len(chosen) == count:
            break
    return chosen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    images = first_images(args.images)

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "in")
        for person, name in images:
            os.makedirs(os.path.join(source, person), exist_ok=True)
            os.symlink(os.path.join(LFW, person, name), os.path.join(source, person, name))

        mtcnn = MTCNN(image_size=160, margin=32, min_face_size=20, thresholds=[0.6, 0.7, 0.7], factor=0.709,
                      post_process=False)
        reference_out = os.path.join(tmp, "reference")
        start = time.perf_counter()
        for person, name in images:
            image = Image.open(os.path.join(source, person, name)).convert("RGB")
            mtcnn(image, save_path=os.path.join(reference_out, person, os.path.splitext(name)[0] + ".png"))
        reference_rate = len(images) / (time.perf_counter() - start)

        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
        start = time.perf_counter()
        result = subprocess.run([args.facenet, "align", source, os.path.join(tmp, "ours"), "--threads",
                                 str(args.threads)], capture_output=True, text=True, env=env)
        ours_wall = len(images) / (time.perf_counter() - start)
        if result.returncode not in (0, 3):  # 3: done, some items skipped (README)
            sys.exit("facenet align failed:\n" + result.stdout + result.stderr)

    print(f"bench/align: {len(images)} LFW images, {args.threads} threads")
    print(f"  facenet align (whole process: start, weights, detect, crop, PNG): {ours_wall:6.1f} img/s")
    print(f"  facenet-pytorch MTCNN (detect + crop + save, model already loaded): {reference_rate:6.1f} img/s")
    print(f"  ratio facenet / facenet-pytorch: {ours_wall / reference_rate:.2f}")


main()
