"""bench/train ddp: `facenet launch --nproc 2` against PyTorch's
DistributedDataParallel (gloo) + pytorch-metric-learning, in one invocation.

Every side trains InceptionResNetV1 from random weights at 160x160 on a global batch of 90 faces (30 people
x 3, in-batch semi-hard mining over all 90, Adam), channels-last, OPENBLAS_NUM_THREADS=1:
(a) 2 ranks x 1 thread: facenet (bench-train.yaml, overlapping 25 MiB buckets) against reference_ddp.py
    under torchrun; global images/s per training step (facenet: rank 0's metrics.csv, forward to the end of
    the update and the weight average; PyTorch: forward to the end of Adam's step).
(b) facenet 1 rank x 2 threads against 2 ranks x 1 thread.
(c) facenet's all-reduce wait per step (metrics.csv reduce_seconds) without overlap, so it is the whole
    all-reduce: 25 MiB buckets against one all-reduce per tensor (--bucket-mb 0); and with overlap, what the
    backward pass leaves exposed.
The faces are LFW photos centre-cropped to 160x160 (made once in out/bench_ddp/faces); PyTorch's inputs are
random normal, as in reference_step.py (the step's cost does not depend on the values).

usage: ddp.py [--warmup 2] [--steps 6]   (bench/train/ddp.sh runs it)
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys

import cv2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))
FACENET = os.path.join(ROOT, ".build", "release", "facenet")
TORCH_PYTHON = os.path.join(HOME, "venv-torch", "bin", "python")
LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
OUT = os.path.join(ROOT, "out", "bench_ddp")
FACES = os.path.join(OUT, "faces")
PEOPLE = os.path.join(OUT, "people.txt")


def make_faces(people=200, per_person=3):
    """LFW's first `people` identities with at least `per_person` photos, centre 160x160 (faces sit there)."""
    if os.path.exists(PEOPLE):
        return
    chosen = []
    for name in sorted(os.listdir(LFW)):
        photos = sorted(os.listdir(os.path.join(LFW, name)))
        if len(photos) < per_person:
            continue
        os.makedirs(os.path.join(FACES, name), exist_ok=True)
        for photo in photos[:10]:
            image = cv2.imread(os.path.join(LFW, name, photo))
            cv2.imwrite(os.path.join(FACES, name, photo[:-4] + ".png"), image[45:205, 45:205])
        chosen.append(name)
        if len(chosen) == people:
            break
    with open(PEOPLE, "w") as f:
        f.write("\n".join(chosen) + "\n")


def run(command, label, env=None):
    print("$ " + " ".join(command), flush=True)
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {}))
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        print("  [%s] %s" % (label, line.rstrip("\n")), flush=True)
    if process.wait() != 0:
        sys.exit("%s failed (status %d)" % (label, process.returncode))
    return lines


def reference_ddp(args, ranks=2):
    """reference_ddp.py as torchrun --nproc_per_node 2 starts it: one process per rank with RANK, WORLD_SIZE,
    LOCAL_RANK, MASTER_ADDR and MASTER_PORT set. torchrun itself cannot start here: Debian's torch 1.13 elastic
    agent fails under Python 3.11+ (torch/distributed/elastic/multiprocessing/api.py `to_map`: Std is no longer
    recognised by isinstance, AttributeError 'NoneType' object has no attribute 'get')."""
    command = [TORCH_PYTHON, "bench/train/reference_ddp.py", "--warmup", str(args.warmup), "--steps", str(args.steps),
               "--threads", "1"]
    print("$ " + " ".join(command) + "   (x%d ranks, torchrun's environment)" % ranks, flush=True)
    processes = []
    for rank in range(ranks):
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", RANK=str(rank), LOCAL_RANK=str(rank),
                   WORLD_SIZE=str(ranks), LOCAL_WORLD_SIZE=str(ranks), MASTER_ADDR="127.0.0.1", MASTER_PORT="29518")
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE if rank == 0 else
                                          subprocess.DEVNULL, stderr=subprocess.STDOUT, text=True))
    lines = []
    for line in processes[0].stdout:
        lines.append(line.rstrip("\n"))
        print("  [ddp] %s" % line.rstrip("\n"), flush=True)
    if any(p.wait() != 0 for p in processes):
        sys.exit("reference_ddp.py failed")
    return json.loads([line for line in lines if line.startswith("{")][-1])["images_per_second"]


def facenet(args, label, ranks, threads, extra=()):
    run_dir = os.path.join(OUT, label)
    shutil.rmtree(run_dir, ignore_errors=True)
    total = args.warmup + args.steps
    train = ["train", "--config", "bench/train/bench-train.yaml", "--data_dir", FACES, "--include", PEOPLE,
             "--run_dir", run_dir, "--max_steps", str(total), "--threads", str(threads)] + list(extra)
    if ranks == 1:
        run([FACENET] + train, label)
    else:
        run([FACENET, "launch", "--nproc", str(ranks), "--master", "127.0.0.1:29517", "--"] + train, label)
    with open(os.path.join(run_dir, "metrics.csv")) as f:
        rows = list(csv.DictReader(f))[args.warmup:total]
    step_seconds = sum(90 / float(r["images_per_second"]) for r in rows)
    reduce = sorted(float(r["reduce_seconds"]) for r in rows if r.get("reduce_seconds"))
    # The median: a step's wait also holds the other rank's lateness (its loader thread decoding the next
    # batch on the same core), which comes and goes.
    return 90 * len(rows) / step_seconds, (reduce[len(reduce) // 2] if reduce else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    args = parser.parse_args()
    make_faces()
    ddp = reference_ddp(args)
    two, exposed = facenet(args, "facenet-2x1", 2, 1)
    one, _ = facenet(args, "facenet-1x2", 1, 2)
    after, bucketed = facenet(args, "facenet-2x1-buckets", 2, 1, ["--no-overlap"])
    per_tensor_rate, per_tensor = facenet(args, "facenet-2x1-per-tensor", 2, 1, ["--no-overlap", "--bucket-mb", "0"])

    print("\nbench/train ddp: InceptionResNetV1 160x160, global batch 90 (30 people x 3), in-batch semi-hard, Adam; "
          "%d warm-up + %d timed steps" % (args.warmup, args.steps))
    print("%-52s %10s %10s %7s" % ("", "facenet", "reference", "ratio"))
    print("%-52s %10.2f %10.2f %7.2f" % ("(a) 2 ranks x 1 thread, img/s (vs DDP + PML)", two, ddp, two / ddp))
    print("%-52s %10.2f %10.2f %7.2f" % ("(b) 2 ranks x 1 thread vs 1 rank x 2 threads, img/s", two, one, two / one))
    print("%-52s %10.3f %10.3f %7.2f" % ("(c) all-reduce wait per step (median), s: 25 MiB buckets", bucketed,
                                         per_tensor, per_tensor / bucketed))
    print("    vs one all-reduce per tensor, both after backward (--no-overlap); their steps: %.2f and %.2f img/s"
          % (after, per_tensor_rate))
    print("    with overlap (the default): %.3f s left to wait after backward (median), %.2f img/s" % (exposed, two))


if __name__ == "__main__":
    main()
