"""Reference for Tests/ClusteringTests: scikit-learn's DBSCAN on a precomputed distance matrix, and pairwise
precision / recall / F1 from scikit-learn's pair confusion matrix.

usage: clustering_reference.py dbscan INPUT.json    {"distances": [[...]], "eps": e, "min_samples": m}
           prints the labels, one JSON list (-1 = noise)
       clustering_reference.py pairwise INPUT.json  {"truth": [...], "predicted": [...]} (-1 = noise)
           prints {"precision", "recall", "f1"}
"""
import json
import sys

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.metrics.cluster import pair_confusion_matrix


def dbscan(spec):
    d = np.array(spec["distances"], dtype=np.float64)
    labels = DBSCAN(eps=spec["eps"], min_samples=spec["min_samples"], metric="precomputed").fit(d).labels_
    return [int(v) for v in labels]


def pairwise(spec):
    truth = np.array(spec["truth"])
    predicted = np.array(spec["predicted"])
    # Noise points are clusters of one: give each its own label.
    singles = predicted == -1
    predicted = predicted.copy()
    predicted[singles] = predicted.max(initial=0) + 1 + np.arange(singles.sum())
    # pair_confusion_matrix counts ordered pairs: [[TN, FP], [FN, TP]] (rows: same truth).
    c = pair_confusion_matrix(truth, predicted) // 2
    tp, fp, fn = int(c[1, 1]), int(c[0, 1]), int(c[1, 0])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        spec = json.load(f)
    print(json.dumps({"dbscan": dbscan, "pairwise": pairwise}[mode](spec)))
