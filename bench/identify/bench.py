"""bench/identify: photos/s of `facenet identify` (detect + embed + search, every face of each raw LFW photo)
against the Python path the "MTCNN + FaceNet" notebooks use, on the same photos with the same threads, in one
invocation.

Gallery: the first 2 photos of the first `--people` LFW people with at least 4 photos, enrolled by
`facenet enroll`; the reference embeds the same faces itself. Probes: the next `--probes` photos of those people.
Reference: facenet-pytorch 2.6.0's `MTCNN(image_size=160, margin=32, keep_all=True, post_process=False)` on a
PIL image (every face), prewhitening, InceptionResnetV1 (the same facenet_keras.h5 weights, 128-D) on all faces
of the photo in one batch, and NumPy nearest neighbour (squared L2 to every gallery face, argmin); the model is
loaded before timing starts. Ours: the release `facenet identify` as a user runs it (whole process: start,
weights, gallery, read-ahead), so its rate includes what the reference leaves out.

usage: bench.py [--people P] [--probes N] [--threads T]   (run by bench/identify/run.sh)
"""
import argparse
import os
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
from facenet_pytorch.models.mtcnn import MTCNN  # noqa: E402

LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))


def choose(people_count, probe_count):
    enroll, probes = {}, []
    for person in sorted(os.listdir(LFW)):
        names = sorted(os.listdir(os.path.join(LFW, person)))
        if len(names) < 4 or len(enroll) == people_count:
            continue
        enroll[person] = [os.path.join(LFW, person, n) for n in names[:2]]
        probes += [os.path.join(LFW, person, n) for n in names[2:]]
    return enroll, probes[:probe_count]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    enroll, probes = choose(args.people, args.probes)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")

    mtcnn = MTCNN(image_size=160, margin=32, keep_all=True, post_process=False)
    model = pretrained(os.path.join(HOME, "weights", "facenet_keras.h5"))

    def embed_faces(path):
        faces = mtcnn(Image.open(path).convert("RGB"))
        if faces is None:
            return np.zeros((0, 128), np.float32)
        batch = torch.stack([torch.from_numpy(prewhiten(f.permute(1, 2, 0).numpy())).permute(2, 0, 1) for f in faces])
        with torch.no_grad():
            e = model(batch.float()).numpy()
        return e / np.linalg.norm(e, axis=1, keepdims=True)

    with tempfile.TemporaryDirectory() as tmp:
        for person, paths in enroll.items():
            os.makedirs(os.path.join(tmp, "enroll", person))
            for p in paths:
                os.symlink(p, os.path.join(tmp, "enroll", person, os.path.basename(p)))
        gallery = os.path.join(tmp, "g.db")
        r = subprocess.run([args.facenet, "enroll", os.path.join(tmp, "enroll"), "--gallery", gallery, "--largest",
                            "--threads", str(args.threads)], capture_output=True, text=True, env=env)
        if r.returncode not in (0, 3):
            sys.exit("facenet enroll failed:\n" + r.stdout + r.stderr)
        names, rows = [], []
        for person, paths in enroll.items():
            for p in paths:
                e = embed_faces(p)
                if len(e):
                    names.append(person)
                    rows.append(e[0])
        reference_gallery = np.stack(rows)

        start = time.perf_counter()
        reference_right = reference_faces = 0
        for p in probes:
            e = embed_faces(p)
            if len(e) == 0:
                continue
            d = ((e[:, None, :] - reference_gallery[None, :, :]) ** 2).sum(-1)
            nearest = d.argmin(axis=1)
            reference_faces += len(e)
            reference_right += names[nearest[0]] == os.path.basename(os.path.dirname(p))
        reference_rate = len(probes) / (time.perf_counter() - start)

        start = time.perf_counter()
        r = subprocess.run([args.facenet, "identify", *probes, "--gallery", gallery, "--threads", str(args.threads)],
                           capture_output=True, text=True, env=env)
        ours_rate = len(probes) / (time.perf_counter() - start)
        if r.returncode not in (0, 3):
            sys.exit("facenet identify failed:\n" + r.stderr)
        ours_faces = len(r.stdout.splitlines())

    print(f"bench/identify: {len(probes)} raw LFW photos, gallery of {len(enroll)} people (2 photos each), "
          f"{args.threads} threads")
    print(f"  facenet identify (whole process): {ours_rate:6.1f} photos/s ({ours_faces} faces)")
    print(f"  facenet-pytorch MTCNN + InceptionResnetV1 + NumPy (model loaded): {reference_rate:6.1f} photos/s "
          f"({reference_faces} faces, first face right for {reference_right})")
    print(f"  ratio facenet / python: {ours_rate / reference_rate:.2f}")


main()
