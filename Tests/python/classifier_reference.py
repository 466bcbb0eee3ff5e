"""scikit-learn references for ClassifierTests.

Reads a JSON request {"train": [[...]], "labels": [...], "queries": [[...]], "C": 1.0, "tol": 1e-4} and prints
JSON {"probabilities": [[...] per query, classes in sorted label order]} from scikit-learn's liblinear logistic
regression: LogisticRegression(solver='liblinear', C, tol) (intercept_scaling=1, the bias regularised as
liblinear's), one-vs-rest for several classes (OneVsRestClassifier, since scikit-learn 1.8 no longer does
one-vs-rest inside LogisticRegression; its predict_proba normalises the per-class sigmoids by their sum, as
liblinear's predict_probability does). Also {"knn": ...} from KNeighborsClassifier(n_neighbors=k,
algorithm='brute') when "k" is given.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier


def main():
    request = json.load(open(sys.argv[1]))
    x = np.array(request["train"], dtype=np.float64)
    y = np.array(request["labels"])
    q = np.array(request["queries"], dtype=np.float64)
    lr = LogisticRegression(solver="liblinear", C=request["C"], tol=request["tol"])
    model = OneVsRestClassifier(lr) if len(set(y.tolist())) > 2 else lr
    model.fit(x, y)
    out = {"classes": model.classes_.tolist(), "probabilities": model.predict_proba(q).tolist()}
    if "k" in request:
        knn = KNeighborsClassifier(n_neighbors=request["k"], algorithm="brute").fit(x, y)
        out["knn"] = knn.predict_proba(q).tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
