#!/usr/bin/env python3
"""NumPy brute force, the reference of bench/search: the same random unit vectors' distribution as
`facenet gallery bench-search` (Gaussian directions, normalised), the same k and batch, timed the same way
(mean over single probes; one call for the batch, chunked to a [chunk, faces] block of 64M floats as
GalleryIndex does). Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, set by run.sh to facenet's --threads.
Prints one JSON line."""
import argparse
import json
import time

import numpy as np


def topk(similarity, k):
    """Per row, the k largest columns, largest first."""
    part = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(similarity, part, axis=1)
    order = np.argsort(-values, axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(values, order, axis=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--faces", type=int, default=10_000)
    p.add_argument("--dimension", type=int, default=128)
    p.add_argument("--single-probes", type=int, default=200)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--threads", type=int, required=True)
    a = p.parse_args()
    rng = np.random.default_rng(1)
    gallery = rng.standard_normal((a.faces, a.dimension), dtype=np.float32)
    gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
    probes = rng.standard_normal((max(a.single_probes, a.batch), a.dimension), dtype=np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    topk(probes[:1] @ gallery.T, a.k)  # warm-up
    start = time.perf_counter()
    for q in probes[: a.single_probes]:
        topk((gallery @ q)[None, :], a.k)
    per_probe = (time.perf_counter() - start) / a.single_probes
    chunk = max(1, min(a.batch, 64_000_000 // a.faces))
    start = time.perf_counter()
    for i in range(0, a.batch, chunk):
        topk(probes[i : min(a.batch, i + chunk)] @ gallery.T, a.k)
    per_batch = time.perf_counter() - start
    print(json.dumps({"index": "numpy", "faces": a.faces, "threads": a.threads, "per_probe_ms": per_probe * 1000,
                      "batch": a.batch, "per_batch_ms": per_batch * 1000}))


if __name__ == "__main__":
    main()
