"""bench/export: the exported models in their official runtimes against libtorch, in one invocation.

For each of TFLite fp32 / fp16 / int8 (LiteRT, XNNPACK, T threads) and ONNX fp32 (ONNX Runtime, T threads):
  - LFW View 2 (pairs.txt, 6,000 pairs) accuracy from the runtime's embeddings of `facenet align`'s crops,
    computed by `facenet eval --embeddings` (the same metric code as libtorch's evaluation), next to
    libtorch's own `facenet eval` of the same crops;
  - milliseconds per face (one face per call, inference only) next to libtorch's per-face time
    (`facenet embed` on the first N faces at batch 1 and at batch 64, end to end with decoding on its own
    threads);
  - file size.
Run by bench/export/run.sh after the release build; writes everything under out/bench_export/.

usage: bench.py [--threads T] [--timing-faces N] [--calibration DIR] [--skip-lfw] [--models fp32,fp16,int8,onnx]
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))
FACENET = os.path.join(ROOT, ".build", "release", "facenet")
RUNTIMES_PYTHON = os.path.join(HOME, "venv-runtimes", "bin", "python")
ALIGNED = os.path.join(ROOT, "out", "lfw_mtcnn_160")
PAIRS = os.path.join(ROOT, "..", "shared", "lfw", "pairs.txt")
OUT = os.path.join(ROOT, "out", "bench_export")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runtime_embed import pair_images  # noqa: E402


def run(command, capture=True):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, text=True, stdout=subprocess.PIPE if capture else None)
    if result.returncode not in (0, 3):  # 3: done, some items skipped (README)
        sys.exit("failed (%d): %s\n%s" % (result.returncode, " ".join(command), result.stdout or ""))
    return result.stdout or ""


def accuracy(summary_dir):
    with open(os.path.join(summary_dir, "summary.json")) as f:
        s = json.load(f)
    return s["accuracy"], s.get("accuracy_std", float("nan"))


def libtorch_ms_per_face(faces_dir, batch):
    out = run([FACENET, "embed", faces_dir, "-o", os.path.join(OUT, "timing_b%d.h5" % batch),
               "--batch-size", str(batch), "--threads", str(ARGS.threads)])
    rate = float(re.search(r"([0-9.]+) img/s", out).group(1))
    return 1000.0 / rate


def main():
    os.makedirs(OUT, exist_ok=True)
    if not os.path.isdir(ALIGNED):
        sys.exit("no aligned LFW at %s: run `bash scripts/run.sh` (or facenet align) first" % ALIGNED)
    libtorch_eval = os.path.join(OUT, "eval_libtorch")
    if not ARGS.skip_lfw:
        run([FACENET, "eval", ALIGNED, "--pairs", PAIRS, "--out", libtorch_eval, "--threads", str(ARGS.threads)])
    evaluation = ["--evaluation", os.path.join(libtorch_eval, "summary.json")] \
        if os.path.exists(os.path.join(libtorch_eval, "summary.json")) else []

    models = [("TFLite fp32", "tflite", "fp32", "facenet_fp32.tflite"),
              ("TFLite fp16", "tflite", "fp16", "facenet_fp16.tflite"),
              ("TFLite int8", "tflite", "int8", "facenet_int8.tflite"),
              ("ONNX fp32", "onnx", "fp32", "facenet.onnx")]
    models = [m for m in models if m[3].split(".")[0].replace("facenet_", "").replace("facenet", "onnx") in ARGS.models]
    for _, fmt, precision, name in models:
        extra = ["--calibration", ARGS.calibration] if precision == "int8" and ARGS.calibration else []
        run([FACENET, "export", "--format", fmt, "--precision", precision, "-o", os.path.join(OUT, name)]
            + extra + evaluation)

    # Timing faces: the first N images of pairs.txt, linked into their own folder.
    timing = os.path.join(OUT, "timing_faces")
    for p in pair_images(PAIRS)[:ARGS.timing_faces]:
        target = os.path.join(timing, p)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            os.symlink(os.path.join(ALIGNED, p), target)
    timing_pairs = os.path.join(OUT, "timing_pairs.txt")
    with open(timing_pairs, "w") as f:  # a pairs-like list for runtime_embed.py's --limit runs
        f.write("1\n" + "\n".join("%s\t%s\t%s\t%s" % (p.split("/")[0], int(p[-8:-4]), p.split("/")[0], int(p[-8:-4]))
                                  for p in pair_images(PAIRS)[:ARGS.timing_faces]) + "\n")
    torch_b1 = libtorch_ms_per_face(timing, 1)
    torch_b64 = libtorch_ms_per_face(timing, 64)

    rows = []
    base = accuracy(libtorch_eval) if os.path.exists(os.path.join(libtorch_eval, "summary.json")) else None
    for label, fmt, precision, name in models:
        path = os.path.join(OUT, name)
        timed = json.loads(run([RUNTIMES_PYTHON, "bench/export/runtime_embed.py", path, ALIGNED, timing_pairs,
                                os.path.join(OUT, name + ".timing.h5"), "--threads", str(ARGS.threads)]).splitlines()[-1])
        acc = None
        if not ARGS.skip_lfw:
            h5 = os.path.join(OUT, name + ".lfw.h5")
            run([RUNTIMES_PYTHON, "bench/export/runtime_embed.py", path, ALIGNED, PAIRS, h5,
                 "--threads", str(ARGS.threads)], capture=False)
            eval_dir = os.path.join(OUT, "eval_" + name.replace(".", "_"))
            run([FACENET, "eval", "--embeddings", h5, "--pairs", PAIRS, "--out", eval_dir])
            acc = accuracy(eval_dir)
        rows.append((label, os.path.getsize(path) / 1e6, acc, timed["ms_per_face"]))

    print("\nbench/export: %d threads; LFW View 2 = pairs.txt, 6,000 pairs, 10 folds; timing on %d faces"
          % (ARGS.threads, ARGS.timing_faces))
    print("libtorch (facenet eval / embed): accuracy %s; %.1f ms/face at batch 1, %.1f ms/face at batch 64"
          % ("%.4f +- %.4f" % base if base else "-", torch_b1, torch_b64))
    print("%-12s %9s %17s %9s %9s %13s %14s" % ("model", "size MB", "LFW accuracy", "delta", "ms/face",
                                                "vs torch b1", "vs torch b64"))
    for label, mb, acc, ms in rows:
        a = "%.4f +- %.4f" % acc if acc else "-"
        d = "%+.4f" % (acc[0] - base[0]) if acc and base else "-"
        print("%-12s %9.1f %17s %9s %9.2f %12.2fx %13.2fx" % (label, mb, a, d, ms, torch_b1 / ms, torch_b64 / ms))
    print("(ratios > 1: the runtime is faster per face than libtorch)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timing-faces", type=int, default=300)
    parser.add_argument("--calibration", default=None, help="int8 calibration folder (default: facenet's default)")
    parser.add_argument("--skip-lfw", action="store_true", help="timing only")
    parser.add_argument("--models", default="fp32,fp16,int8,onnx", type=lambda s: s.split(","),
                        help="which exports to run: fp32, fp16, int8 (TFLite), onnx")
    ARGS = parser.parse_args()
    main()
