"""bench/openset: the LFW open-set identification protocol around `facenet enroll` / `facenet identify`.

  protocol.py split LFW OUT   writes OUT/enroll/<person>/ (links to the first 2 photos of every person with >= 4),
                              OUT/genuine/<person>/ (their other photos) and OUT/strangers/<person>/ (people with 1)
  protocol.py score LFW OUT   reads OUT/{genuine,strangers}_{mean,min}.jsonl and prints rank-1 and DIR at FAR 1% /
                              0.1% for the three scores; writes OUT/curves/<rule>_<score>/ (DIR against
                              false alarms as roc.csv + summary.json, for `facenet eval --compare`)

Each photo contributes its main face: the one `facenet align` keeps (largest box minus twice the squared offset of
its centre from the image centre, davidsandberg's align_dataset_mtcnn.py), found from the JSON boxes. A photo with
no face found counts as a miss (genuine) or is left out (strangers), and the counts are printed.
"""
import collections
import json
import os
import sys


def people(lfw):
    return {p: sorted(os.listdir(os.path.join(lfw, p))) for p in sorted(os.listdir(lfw))}


def split(lfw, out):
    for person, photos in people(lfw).items():
        groups = []
        if len(photos) >= 4:
            groups = [("enroll", photos[:2]), ("genuine", photos[2:])]
        elif len(photos) == 1:
            groups = [("strangers", photos)]
        for folder, names in groups:
            os.makedirs(os.path.join(out, folder, person), exist_ok=True)
            for name in names:
                os.symlink(os.path.abspath(os.path.join(lfw, person, name)), os.path.join(out, folder, person, name))
    for folder in ("enroll", "genuine", "strangers"):
        count = sum(len(os.listdir(os.path.join(out, folder, p))) for p in os.listdir(os.path.join(out, folder)))
        print(f"split: {folder}: {len(os.listdir(os.path.join(out, folder)))} people, {count} photos")


def main_faces(path, lfw_size=250):
    """The main face of each photo: {photo path: result line}."""
    by_photo = collections.defaultdict(list)
    for line in open(path):
        row = json.loads(line)
        by_photo[row["path"]].append(row)

    def choice(row):
        x1, y1, x2, y2 = row["box"]
        dx, dy = (x1 + x2) / 2 - lfw_size / 2, (y1 + y2) / 2 - lfw_size / 2
        return (x2 - x1) * (y2 - y1) - 2 * (dx * dx + dy * dy)

    return {photo: max(rows, key=choice) for photo, rows in by_photo.items()}


COHORT = 4  # OpenSetScore.cohortSize


def scores(row, score):
    """The open-set scores of Sources/Recognition/MatchRule.swift, recomputed from the top-k distances."""
    distances = [c["distance"] for c in row["top_k"]] + [4.0] * (COHORT + 1)
    nearest = distances[0]
    if score == "distance":
        return nearest
    if score == "ratio":
        return nearest / max(distances[1], 1e-12)
    return nearest / max(sum(distances[1:COHORT + 1]) / COHORT, 1e-12)


def score_all(lfw, out):
    genuine_total = sum(len(os.listdir(os.path.join(out, "genuine", p))) for p in os.listdir(os.path.join(out, "genuine")))
    print(f"open set: {len(os.listdir(os.path.join(out, 'enroll')))} people enrolled, {genuine_total} genuine probes")
    for rule in ("mean", "min"):
        genuine = main_faces(os.path.join(out, f"genuine_{rule}.jsonl"))
        strangers = main_faces(os.path.join(out, f"strangers_{rule}.jsonl"))
        truth = {photo: photo.split("/")[-2] for photo in genuine}
        rank1 = sum(1 for p, r in genuine.items() if r["nearest"] == truth[p]) / genuine_total
        print(f"rule {rule}: {len(genuine)} genuine probes with a face (of {genuine_total}), "
              f"{len(strangers)} strangers with a face; rank-1 {rank1:.4f}")
        for score in ("distance", "ratio", "cohort"):
            s = sorted(scores(r, score) for r in strangers.values())
            hits = sorted(scores(r, score) for p, r in genuine.items() if r["nearest"] == truth[p])
            line = f"  score {score:8s}:"
            for far in (0.01, 0.001):
                m = int(far * len(s))
                threshold = s[m] - 1e-12  # the m lowest stranger scores are accepted (as Calibration does)
                dir_ = sum(1 for h in hits if h <= threshold) / genuine_total
                line += f"  FAR {far:g}: threshold {threshold:.4f} DIR {dir_:.4f}"
            print(line)
            # The curve: for each stranger score as threshold, the false-alarm rate and DIR, written as a
            # roc.csv (far, tpr, threshold) with a summary.json beside it, so that `facenet eval --compare`
            # draws it with eval's chart code.
            folder = os.path.join(out, "curves", f"{rule}_{score}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "roc.csv"), "w") as f:
                f.write("far,tpr,threshold\n")
                j = 0
                for i, t in enumerate(s):
                    while j < len(hits) and hits[j] <= t:
                        j += 1
                    f.write(f"{(i + 1) / len(s)},{j / genuine_total},{t}\n")
            with open(os.path.join(folder, "summary.json"), "w") as f:
                json.dump({"model": f"rule {rule}, score {score}", "files": {"roc_csv": "roc.csv"}}, f)
        accepted = sum(1 for r in strangers.values() if r["top_k"][0]["distance"] < 1.18) / len(strangers)
        print(f"  distance 1.18 (LFW's pair threshold) names {accepted:.3f} of the strangers")
        far = sum(1 for r in strangers.values() if scores(r, "cohort") <= 0.61) / len(strangers)
        dir_ = sum(1 for p, r in genuine.items() if r["nearest"] == truth[p] and scores(r, "cohort") <= 0.61) / genuine_total
        print(f"  the default (cohort 0.61): false alarms {far:.4f}, DIR {dir_:.4f}")


if __name__ == "__main__":
    command, lfw, out = sys.argv[1:4]
    split(lfw, out) if command == "split" else score_all(lfw, out)
