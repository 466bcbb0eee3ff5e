"""bench/embed: images/s of `facenet embed` against PyTorch running the same network on the same images
with the same thread count, in one invocation. Prints both rates and their ratio.

PyTorch side: Debian's torch 1.13 with facenet-pytorch 2.6.0's InceptionResnetV1 (128-D head) loaded from
the same facenet_keras.h5, eval mode, no_grad, channels_last, batch 64. It is timed twice: end to end
(PIL JPEG decoding + prewhitening + forward, the same work `facenet embed` does) and forward only.
With `--precision bf16` both sides compute in bfloat16: PyTorch under `torch.autocast("cpu", torch.bfloat16)`
(its one-line recipe), `facenet embed --precision bf16`; our float32 run is timed in the same invocation too.

usage: bench.py [--images N] [--threads T] [--batch B] [--precision fp32|bf16]   (run by bench/embed/run.sh)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "python"))
from facenet_reference_embed import pretrained, prewhiten  # noqa: E402

LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))


def make_faces(out, count):
    """The first `count` LFW photos (sorted), centre-cropped to 160x160 and saved as JPEG (quality 95)."""
    paths = []
    for person in sorted(os.listdir(LFW)):
        for name in sorted(os.listdir(os.path.join(LFW, person))):
            if len(paths) == count:
                return paths
            os.makedirs(os.path.join(out, person), exist_ok=True)
            path = os.path.join(out, person, name)
            Image.open(os.path.join(LFW, person, name)).convert("RGB").crop((45, 45, 205, 205)).save(path, quality=95)
            paths.append(path)
    return paths


def load_prewhitened(chunk):
    """PIL decode and prewhitening of a batch of 160x160 faces, channels-last."""
    faces = [prewhiten(np.asarray(Image.open(p).convert("RGB"), dtype=np.float32)).transpose(2, 0, 1) for p in chunk]
    return torch.from_numpy(np.stack(faces).astype(np.float32)).contiguous(memory_format=torch.channels_last)


def pytorch_rates(model, paths, batch, precision="fp32", load=load_prewhitened):
    """Images/s of `model` end to end (load + forward) and forward only (tensors loaded beforehand), after one
    warm-up batch; under CPU autocast to bfloat16 when `precision` is bf16. bench/backbones uses it too."""
    chunks = [paths[i:i + batch] for i in range(0, len(paths), batch)]
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16")
    with torch.no_grad(), autocast:
        model(load(chunks[0]))  # warm-up (oneDNN primitive creation), as the Swift run has its first batch
        start = time.perf_counter()
        for chunk in chunks:
            model(load(chunk))
        end_to_end = len(paths) / (time.perf_counter() - start)
        tensors = [load(chunk) for chunk in chunks]
        start = time.perf_counter()
        for t in tensors:
            model(t)
        forward = len(paths) / (time.perf_counter() - start)
    return end_to_end, forward


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=640)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as tmp:
        faces = os.path.join(tmp, "faces")
        paths = make_faces(faces, args.images)
        model = pretrained(os.path.join(HOME, "weights", "facenet_keras.h5")).to(memory_format=torch.channels_last)
        torch_e2e, torch_forward = pytorch_rates(model, paths, args.batch, args.precision)
        del model

        def facenet_rate(precision):
            env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
            result = subprocess.run(
                [args.facenet, "embed", faces, "-o", os.path.join(tmp, f"out-{precision}.h5"), "--batch-size",
                 str(args.batch), "--threads", str(args.threads), "--precision", precision],
                capture_output=True, text=True, env=env)
            if result.returncode not in (0, 3):  # 3: done, some items skipped (README)
                sys.exit("facenet embed failed:\n" + result.stdout + result.stderr)
            return float(re.search(r"([0-9.]+) img/s", result.stdout).group(1))

        ours = facenet_rate(args.precision)
        ours_fp32 = facenet_rate("fp32") if args.precision != "fp32" else ours

    torch_name = "PyTorch 1.13" + (" bf16 autocast" if args.precision == "bf16" else "")
    print(f"bench/embed: {args.images} LFW faces 160x160 JPEG, batch {args.batch}, {args.threads} threads, "
          f"precision {args.precision}")
    print(f"  facenet embed {args.precision} (end to end, JPEG decode + prewhiten + forward): {ours:6.1f} img/s")
    if args.precision != "fp32":
        print(f"  facenet embed fp32 (the same, float32):                          {ours_fp32:6.1f} img/s")
    print(f"  {torch_name} end to end (PIL decode + prewhiten + forward): {torch_e2e:6.1f} img/s")
    print(f"  {torch_name} forward only (tensors prepared beforehand):    {torch_forward:6.1f} img/s")
    print(f"  ratio facenet / PyTorch end to end:  {ours / torch_e2e:.2f}")
    print(f"  ratio facenet / PyTorch forward only: {ours / torch_forward:.2f}")
    if args.precision != "fp32":
        print(f"  ratio facenet {args.precision} / facenet fp32: {ours / ours_fp32:.2f}")


if __name__ == "__main__":  # bench/backbones imports make_faces
    main()
