"""bench/cluster: choose and measure `facenet cluster`'s default thresholds on LFW (run by bench/cluster/run.sh).

1. Splits LFW by photo count (raw LFW folders): the selection set is every person with 2-9 photos (1,522 people,
   4,840 photos), the test set every person with at least 10 (158 people, 4,324 photos). The selection set has
   about as many faces as the test set because DBSCAN's single-linkage chaining grows with the number of faces:
   on the 265 people with 5-9 photos alone (1,661 faces) it chose a radius that merged people on the test set.
   Each set is a folder of links to the aligned crops, embedded once with `facenet embed` (pretrained model).
2. Sweeps the squared-distance threshold of both algorithms on the selection set with `facenet cluster
   --embeddings` and takes the threshold of the best pairwise F1 (the first of equal ones).
3. On the test set: both algorithms at the chosen thresholds (and a check that they are the built-in
   defaults), at LFW's pair threshold 1.18 for comparison, Chinese whispers over five seeds, and scikit-learn's
   DBSCAN(eps, min_samples, metric="precomputed") on distances it computes itself in float64 from the same
   embeddings; its partition is compared with ours. Last, for information only, the test set's own F1 curve.

usage: bench.py --aligned out/lfw_mtcnn_160 [--work out/cluster] [--facenet .build/release/facenet]
"""
import argparse
import csv
import os
import re
import subprocess
import sys

import h5py
import numpy as np
from sklearn.cluster import DBSCAN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "python"))
from clustering_reference import pairwise  # noqa: E402

LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
ALGORITHMS = ["chinese-whispers", "dbscan"]
GRID = [round(0.30 + 0.025 * k, 3) for k in range(37)]  # 0.300, 0.325, ... 1.200
PAIR_THRESHOLD = 1.18  # LFW View 2's best verification threshold (docs/results.md)
SCORES = re.compile(r"pairwise precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+)")
COUNT = re.compile(r"^(\d+) clusters")


def subset(aligned, work, name, keep):
    """A folder of links to the aligned folders of the people whose raw photo count passes `keep`."""
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    people, photos = 0, 0
    for person in sorted(os.listdir(LFW)):
        count = len(os.listdir(os.path.join(LFW, person)))
        if not keep(count):
            continue
        people += 1
        photos += count
        link = os.path.join(folder, person)
        if not os.path.islink(link):
            os.symlink(os.path.abspath(os.path.join(aligned, person)), link)
    return folder, people, photos


def embed(facenet, folder):
    out = folder + ".h5"
    if not os.path.exists(out):
        subprocess.run([facenet, "embed", folder, "-o", out], check=True)
    return out


def cluster(facenet, embeddings, out, *options):
    """(clusters, precision, recall, F1) of one `facenet cluster` run."""
    result = subprocess.run(
        [facenet, "cluster", "--embeddings", embeddings, "--out", out, *options],
        check=True, capture_output=True, text=True)
    p, r, f = (float(v) for v in SCORES.search(result.stdout).groups())
    return int(COUNT.search(result.stdout).group(1)), p, r, f


def read(embeddings):
    """Paths, identity labels and L2-normalised float64 rows of an embeddings file."""
    with h5py.File(embeddings, "r") as f:
        e = f["embeddings"][()].astype(np.float64)
        labels = f["labels"][()]
        paths = [p.decode() if isinstance(p, bytes) else p for p in f["paths"][()]]
    return paths, labels, e / np.linalg.norm(e, axis=1, keepdims=True)


def sklearn_dbscan(rows, eps, min_samples):
    """scikit-learn's labels on squared L2 distances of unit rows, 2 - 2ab in float64 (diagonal exactly 0)."""
    d = np.maximum(2 - 2 * (rows @ rows.T), 0)
    np.fill_diagonal(d, 0)
    return DBSCAN(eps=eps, min_samples=min_samples, metric="precomputed").fit(d).labels_


def partition(labels):
    """A canonical form of a labelling (noise as singletons): the set of member sets."""
    groups = {}
    for i, label in enumerate(labels):
        groups.setdefault(("noise", i) if label == -1 else label, []).append(i)
    return sorted(tuple(g) for g in groups.values())


def ours(clusters_csv, paths):
    index = {p: i for i, p in enumerate(paths)}
    labels = [None] * len(paths)
    with open(clusters_csv) as f:
        for row in csv.DictReader(f):
            labels[index[row["path"]]] = -1 if row["cluster"] == "noise" else int(row["cluster"].split("_")[1])
    return labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--aligned", required=True)
    parser.add_argument("--work", default=os.path.join(ROOT, "out", "cluster"))
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    scratch = os.path.join(args.work, "runs")

    selection, sel_people, sel_photos = subset(args.aligned, args.work, "selection_2to9", lambda n: 2 <= n <= 9)
    test, test_people, test_photos = subset(args.aligned, args.work, "test_10plus", lambda n: n >= 10)
    print(f"selection: {sel_people} people, {sel_photos} photos (2-9 each); "
          f"test: {test_people} people, {test_photos} photos (>= 10 each)")
    selection_h5, test_h5 = embed(args.facenet, selection), embed(args.facenet, test)

    chosen = {}
    for algorithm in ALGORITHMS:
        print(f"\nselection sweep, {algorithm}" + (" (min_samples 1)" if algorithm == "dbscan" else ""))
        print("| threshold | clusters | precision | recall | F1 |\n|---|---|---|---|---|")
        best = None
        for t in GRID + [PAIR_THRESHOLD]:
            n, p, r, f = cluster(args.facenet, selection_h5, scratch, "--algorithm", algorithm, "--threshold", str(t))
            print(f"| {t:.3f} | {n} | {p:.4f} | {r:.4f} | {f:.4f} |")
            if t in GRID and (best is None or f > best[1]):
                best = (t, f)
        chosen[algorithm] = best[0]
        print(f"chosen: {algorithm} threshold {best[0]} (selection F1 {best[1]:.4f})")

    print(f"\ntest set ({test_people} people, {test_photos} photos), pairwise scores")
    print("| method | threshold | clusters | precision | recall | F1 |\n|---|---|---|---|---|---|")
    paths, truth, rows = read(test_h5)
    defaults = {a: cluster_default(args.facenet, test_h5, scratch, a) for a in ALGORITHMS}
    for algorithm in ALGORITHMS:
        t = chosen[algorithm]
        n, p, r, f = cluster(args.facenet, test_h5, scratch, "--algorithm", algorithm, "--threshold", str(t))
        if algorithm == "dbscan":
            dbscan_labels = ours(os.path.join(scratch, "clusters.csv"), paths)
        print(f"| facenet cluster --algorithm {algorithm} | {t} (chosen) | {n} | {p:.4f} | {r:.4f} | {f:.4f} |")
        n, p, r, f = cluster(args.facenet, test_h5, scratch, "--algorithm", algorithm, "--threshold", str(PAIR_THRESHOLD))
        print(f"| facenet cluster --algorithm {algorithm} | {PAIR_THRESHOLD} (LFW pairs) | {n} | {p:.4f} | {r:.4f} | {f:.4f} |")
    predicted = sklearn_dbscan(rows, chosen["dbscan"], 1)
    s = pairwise({"truth": truth.tolist(), "predicted": predicted.tolist()})
    clusters = len(set(predicted.tolist()) - {-1})
    print(f"| scikit-learn DBSCAN(eps={chosen['dbscan']}, min_samples=1, precomputed) | {chosen['dbscan']} (chosen) | "
          f"{clusters} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    same = partition(dbscan_labels) == partition(predicted.tolist())
    print(f"facenet DBSCAN and scikit-learn DBSCAN give the same partition: {same}")

    f1s = [cluster(args.facenet, test_h5, scratch, "--algorithm", "chinese-whispers", "--threshold",
                   str(chosen["chinese-whispers"]), "--seed", str(seed))[3] for seed in range(5)]
    print(f"chinese-whispers at {chosen['chinese-whispers']} over seeds 0-4: F1 min {min(f1s):.4f} max {max(f1s):.4f}")
    for algorithm in ALGORITHMS:
        if abs(defaults[algorithm] - chosen[algorithm]) > 1e-9:
            print(f"WARNING: {algorithm}'s built-in default {defaults[algorithm]} is not the chosen {chosen[algorithm]}")
        else:
            print(f"{algorithm}'s built-in default is the chosen {chosen[algorithm]}")

    # For information only (the defaults are chosen above, on other people): the test set's own curve.
    print("\ntest-set sweep, for information only (not used to choose)")
    print("| threshold | chinese-whispers F1 | dbscan F1 |\n|---|---|---|")
    for t in [round(0.40 + 0.05 * k, 2) for k in range(10)]:
        row = [cluster(args.facenet, test_h5, scratch, "--algorithm", a, "--threshold", str(t))[3] for a in ALGORITHMS]
        print(f"| {t:.2f} | {row[0]:.4f} | {row[1]:.4f} |")


def cluster_default(facenet, embeddings, out, algorithm):
    """The threshold `facenet cluster` reports using when none is given."""
    result = subprocess.run(
        [facenet, "cluster", "--embeddings", embeddings, "--out", out, "--algorithm", algorithm],
        check=True, capture_output=True, text=True)
    return float(re.search(r"threshold ([\d.]+)", result.stdout).group(1))


if __name__ == "__main__":
    main()
