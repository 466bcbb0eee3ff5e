"""bench/train: facenet's training against PyTorch on this machine, in one invocation.

Both sides train from random weights (from the pretrained model, semi-hard triplets are so rare in 30 x 3
batches that most steps have none, and the two sides handle an empty step differently).

(a) training step images/s: forward, backward and Adam on 90 images of 160x160 in channels-last memory.
    facenet: `facenet train` in-batch mode (bench-train.yaml), each step's images_per_second from its
    metrics.csv (from the start of the forward pass to the end of the update: forward, semi-hard mining,
    loss, backward, Adam, and the weight average PyTorch's side does not keep).
    PyTorch: reference_step.py, the same network (facenet-pytorch's module) and the same step on fixed triplets.
(b) end-to-end training images/s including decoding, augmentation and mining: the wall-clock time of the
    same facenet run's timed steps (metrics.csv elapsed_seconds), against reference_loop.py (DataLoader,
    pytorch-metric-learning's MPerClassSampler, TripletMarginMiner and TripletMarginLoss) on the same faces.
(c) peak resident memory of each side: the largest sum of VmRSS over the process and its children, sampled
    every 0.1 s (forked DataLoader workers share pages with their parent, so their sum over-counts a little),
    and the main process's own peak (ru_maxrss).
Both sides use the same intra-op threads (--threads, default 2) and OPENBLAS_NUM_THREADS=1.

With --precision bf16 both sides compute in bfloat16 (facenet `precision: bf16`; PyTorch under CPU autocast).

usage: bench.py [--threads 2] [--warmup 2] [--steps 10] [--workers 2] [--precision fp32|bf16]
       (bench/train/run.sh runs it)
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))
FACENET = os.path.join(ROOT, ".build", "release", "facenet")
TORCH_PYTHON = os.path.join(HOME, "venv-torch", "bin", "python")
DATA = os.path.join(ROOT, "out", "lfw_mtcnn_160")
INCLUDE = os.path.join(ROOT, "..", "shared", "lfw", "peopleDevTrain.txt")
OUT = os.path.join(ROOT, "out", "bench_train")


def tree_rss_kb(pid):
    """VmRSS of `pid` and all its descendants, in kB."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run(command, label):
    """Runs `command`, echoing its output; returns (stdout lines, peak tree RSS MB, main ru_maxrss MB)."""
    print("$ " + " ".join(command), flush=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        print("  [%s] %s" % (label, line.rstrip("\n")), flush=True)
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if status != 0:
        sys.exit("%s failed (status %d)" % (label, status))
    return lines, peak[0] / 1024.0, usage.ru_maxrss / 1024.0


def facenet_run(args):
    run_dir = os.path.join(OUT, "facenet")
    shutil.rmtree(run_dir, ignore_errors=True)
    total = args.warmup + args.steps
    _, tree_mb, main_mb = run([FACENET, "train", "--config", "bench/train/bench-train.yaml", "--run_dir", run_dir,
                               "--max_steps", str(total), "--threads", str(args.threads),
                               "--precision", args.precision], "facenet")
    with open(os.path.join(run_dir, "metrics.csv")) as f:
        rows = list(csv.DictReader(f))
    if len(rows) < total:
        sys.exit("facenet logged %d steps, expected %d" % (len(rows), total))
    timed = rows[args.warmup:total]
    step_seconds = sum(90 / float(r["images_per_second"]) for r in timed)
    wall = float(rows[total - 1]["elapsed_seconds"]) - float(rows[args.warmup - 1]["elapsed_seconds"])
    triplets = sum(int(r["triplets"]) for r in timed) / len(timed)
    return 90 * len(timed) / step_seconds, 90 * len(timed) / wall, tree_mb, main_mb, triplets


def last_json(lines):
    return json.loads([line for line in lines if line.startswith("{")][-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="DataLoader workers of the PyTorch loop")
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = parser.parse_args()
    if args.warmup < 1:
        sys.exit("--warmup must be at least 1")
    if not os.path.isdir(DATA):
        sys.exit("no aligned LFW at %s: run `bash scripts/run.sh` (or facenet align) first" % DATA)
    os.makedirs(OUT, exist_ok=True)

    step_lines, step_tree, step_main = run(
        [TORCH_PYTHON, "bench/train/reference_step.py", "--warmup", str(args.warmup),
         "--steps", str(min(args.steps, 6)), "--threads", str(args.threads), "--precision", args.precision],
        "pytorch step")
    torch_step = last_json(step_lines)["images_per_second"]
    loop_lines, loop_tree, loop_main = run(
        [TORCH_PYTHON, "bench/train/reference_loop.py", DATA, INCLUDE, "--warmup", str(args.warmup),
         "--steps", str(args.steps), "--workers", str(args.workers), "--threads", str(args.threads),
         "--precision", args.precision], "pytorch loop")
    torch_loop = last_json(loop_lines)["images_per_second"]
    ours_step, ours_loop, ours_tree, ours_main, triplets = facenet_run(args)

    print("\nbench/train: InceptionResNetV1 160x160, batch 90 (30 people x 3), channels-last, Adam, %d threads, %s; "
          "%d warm-up + %d timed steps" % (args.threads, args.precision, args.warmup, args.steps))
    print("%-44s %10s %10s %7s" % ("", "facenet", "PyTorch", "ratio"))
    print("%-44s %10.2f %10.2f %7.2f" % ("(a) training step, img/s", ours_step, torch_step, ours_step / torch_step))
    print("%-44s %10.2f %10.2f %7.2f" % ("(b) end to end with data + mining, img/s", ours_loop, torch_loop,
                                         ours_loop / torch_loop))
    print("%-44s %10.0f %10.0f %7.2f" % ("(c) peak RSS, process tree, MB (loop)", ours_tree, loop_tree,
                                         ours_tree / loop_tree))
    print("%-44s %10.0f %10.0f %7.2f" % ("    peak RSS, main process, MB (loop)", ours_main, loop_main,
                                         ours_main / loop_main))
    print("    peak RSS of the PyTorch step benchmark: %.0f MB (tree), %.0f MB (main)" % (step_tree, step_main))
    print("facenet mined %.1f semi-hard triplets per step; PyTorch loop: %d DataLoader workers" % (triplets, args.workers))
    print("(ratios > 1 for speed: facenet faster; for memory: facenet uses more)")


if __name__ == "__main__":
    main()
