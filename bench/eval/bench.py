"""bench/eval: the whole LFW evaluation with `facenet eval` (embedding every image the pairs file names,
then the 10-fold metrics) against facenet-pytorch 2.6.0's InceptionResnetV1 embedding the same images in
PyTorch (Debian's torch 1.13, same weights, batch 64, channels-last, same threads), in one invocation.
The PyTorch side only embeds (PIL decoding + prewhitening + forward); it computes no metrics.

usage: bench.py ALIGNED_DIR [--pairs FILE] [--threads T]   (run by bench/eval/run.sh)
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np
import torch
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "python"))
from facenet_reference_embed import pretrained, prewhiten  # noqa: E402

HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))


def pair_images(pairs_path, aligned):
    """The distinct image files a pairs file names (LFW format), in first-use order."""
    lines = open(pairs_path).read().split("\n")[1:]
    seen = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            refs = [(parts[0], int(parts[1])), (parts[0], int(parts[2]))]
        elif len(parts) == 4:
            refs = [(parts[0], int(parts[1])), (parts[2], int(parts[3]))]
        else:
            continue
        for name, number in refs:
            path = os.path.join(aligned, name, "%s_%04d.png" % (name, number))
            seen.setdefault(path, None)
    return list(seen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("aligned")
    parser.add_argument("--pairs", default=os.path.join(ROOT, "..", "shared", "lfw", "pairs.txt"))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    paths = pair_images(args.pairs, args.aligned)

    model = pretrained(os.path.join(HOME, "weights", "facenet_keras.h5")).to(memory_format=torch.channels_last)
    start = time.perf_counter()
    with torch.no_grad():
        for i in range(0, len(paths), 64):
            faces = [prewhiten(np.asarray(Image.open(p).convert("RGB"), dtype=np.float32)).transpose(2, 0, 1)
                     for p in paths[i:i + 64]]
            model(torch.from_numpy(np.stack(faces).astype(np.float32)).contiguous(memory_format=torch.channels_last))
    reference = time.perf_counter() - start
    del model

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    out = os.path.join("/tmp", "bench-eval-%d" % os.getpid())
    start = time.perf_counter()
    result = subprocess.run([args.facenet, "eval", args.aligned, "--pairs", args.pairs, "--out", out, "--threads",
                             str(args.threads)], capture_output=True, text=True, env=env)
    ours = time.perf_counter() - start
    if result.returncode not in (0, 3):  # 3: done, some items skipped (README)
        sys.exit("facenet eval failed:\n" + result.stdout + result.stderr)

    print(f"bench/eval: {os.path.basename(args.pairs)}, {len(paths)} distinct images, {args.threads} threads")
    print(f"  facenet eval (whole process: load, embed, 10-fold metrics, charts): {ours:6.1f} s")
    print(f"  facenet-pytorch InceptionResnetV1 embedding only (model loaded):     {reference:6.1f} s")
    print(f"  ratio PyTorch time / facenet time: {reference / ours:.2f}  (above 1: facenet is faster)")


main()
