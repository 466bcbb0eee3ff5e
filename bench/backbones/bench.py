"""bench/backbones: each new backbone embedded by facenet against PyTorch running the same architecture, and its
int8 TFLite export in LiteRT, in one invocation (issue #16).

- Inception-ResNet-v2 at 160x160: PyTorch runs timm 0.9.16's `inception_resnet_v2` (num_classes=0: the trunk
  to the 1536-D pool) followed by the same head as ours (dense 512 without bias, BatchNorm, ReLU, linear 128
  without bias, BatchNorm, L2 normalisation).
- MobileFaceNet at 112x112: PyTorch runs Tests/python/mobilefacenet_reference.py's module (written from the
  paper's table 1, independently of the Swift code).
Both sides: random weights (speed does not depend on the values), eval mode, no_grad, channels-last, batch 64,
the same thread count and float32; timed end to end (PIL decode, resize to the input side, the backbone's
preprocessing, forward) and forward only, after one warm-up batch. facenet: `facenet embed --model CKPT
--precision fp32` on the same JPEG faces (its closing line's img/s, end to end). The checkpoints are one-step
`facenet train` runs of each backbone (made once under out/bench_backbones/), or `--checkpoint NAME=PATH`
(the trained MobileFaceNet, runs/mobilefacenet-lfw/checkpoint.h5, is used when it exists).
LiteRT: `facenet export --format tflite --precision int8` of each checkpoint (calibrated on 200 LFW faces),
one face per call through the signature runner, milliseconds per face over 50 calls after 5 warm-up calls.

usage: bench.py [--images N] [--threads T] [--batch B] [--checkpoint NAME=PATH ...]   (run by run.sh)
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import timm
import torch
from PIL import Image
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))
FACENET = os.path.join(ROOT, ".build", "release", "facenet")
RUNTIMES_PYTHON = os.path.join(HOME, "venv-runtimes", "bin", "python")
OUT = os.path.join(ROOT, "out", "bench_backbones")
sys.path.insert(0, os.path.join(ROOT, "Tests", "python"))
sys.path.insert(0, os.path.join(ROOT, "bench", "embed"))
from mobilefacenet_reference import MobileFaceNet  # noqa: E402
from bench import make_faces  # noqa: E402  (bench/embed's faces: LFW photos centre-cropped to 160, JPEG)
from bench import pytorch_rates as embed_rates  # noqa: E402  (bench/embed's timing)
from facenet_reference_embed import prewhiten  # noqa: E402  (davidsandberg/facenet's prewhiten)


class TimmWithHead(nn.Module):
    """timm's trunk and pool, then facenet's Inception-ResNet-v2 head (Sources/Models/FaceNet/InceptionResNetV2.swift)."""

    def __init__(self):
        super().__init__()
        self.trunk = timm.create_model("inception_resnet_v2", pretrained=False, num_classes=0)
        self.dense = nn.Linear(1536, 512, bias=False)
        self.dense_bn = nn.BatchNorm1d(512, eps=0.001)
        self.last_linear = nn.Linear(512, 128, bias=False)
        self.last_bn = nn.BatchNorm1d(128, eps=0.001)

    def forward(self, x):
        h = torch.relu(self.dense_bn(self.dense(self.trunk(x))))
        return nn.functional.normalize(self.last_bn(self.last_linear(h)), p=2, dim=1)


BACKBONES = {
    "inception-resnet-v2": dict(size=160, model=TimmWithHead, preprocess=prewhiten),
    # `fixed`: (x - 127.5) / 128, MobileFaceNet's (ModelDescription.mobileFaceNet128).
    "mobilefacenet": dict(size=112, model=MobileFaceNet, preprocess=lambda x: (x - 127.5) / 128.0),
}


def run(command):
    print("$ " + " ".join(command), flush=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    result = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, env=env)
    if result.returncode not in (0, 3):  # 3: done, some items skipped (README)
        sys.exit("failed (%d): %s\n%s%s" % (result.returncode, " ".join(command), result.stdout, result.stderr))
    return result.stdout


def one_step_checkpoint(name, size):
    run_dir = os.path.join(OUT, name)
    path = os.path.join(run_dir, "checkpoint.h5")
    if os.path.exists(path):
        return path
    config = os.path.join(OUT, name + ".yaml")
    os.makedirs(OUT, exist_ok=True)
    with open(config, "w") as f:
        f.write("\n".join([
            "data_dir: out/lfw_mtcnn_160", "include: ../shared/lfw/peopleDevTrain.txt", "backbone: " + name,
            "image_size: %d" % size, "random_crop: false", "init_from: scratch", "people_per_batch: 4",
            "images_per_person: 3", "batch_size: 6", "max_steps: 1", "checkpoint_every: 1", "validate_every: 0",
            "precision: fp32", "run_dir: " + run_dir, ""]))
    run([FACENET, "train", "--config", config, "--force"])
    return path


def pytorch_rates(spec, paths, batch, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = spec["model"]().eval().to(memory_format=torch.channels_last)
    size = spec["size"]

    def load(chunk):
        faces = []
        for p in chunk:
            image = Image.open(p).convert("RGB")
            if image.size != (size, size):
                image = image.resize((size, size), Image.BILINEAR)
            faces.append(spec["preprocess"](np.asarray(image, dtype=np.float32)).transpose(2, 0, 1))
        return torch.from_numpy(np.stack(faces).astype(np.float32)).contiguous(memory_format=torch.channels_last)

    end_to_end, forward = embed_rates(model, paths, batch, load=load)
    return end_to_end, forward, sum(p.numel() for p in model.parameters())


LITERT_TIMING = r'''
import json, sys, time
import numpy as np
from ai_edge_litert.interpreter import Interpreter
interpreter = Interpreter(model_path=sys.argv[1], num_threads=int(sys.argv[2]))
runner = interpreter.get_signature_runner()
(name, detail), = runner.get_input_details().items()
x = np.random.default_rng(0).standard_normal(detail["shape"]).astype(detail["dtype"])
for _ in range(5):
    runner(**{name: x})
start = time.perf_counter()
for _ in range(50):
    runner(**{name: x})
print(json.dumps({"ms_per_face": (time.perf_counter() - start) / 50 * 1000, "input": str(detail["dtype"])}))
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=640)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--checkpoint", action="append", default=[], help="NAME=PATH")
    args = parser.parse_args()
    given = dict(item.split("=", 1) for item in args.checkpoint)
    trained = os.path.join(ROOT, "runs", "mobilefacenet-lfw", "checkpoint.h5")
    if "mobilefacenet" not in given and os.path.exists(trained):
        given["mobilefacenet"] = trained
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        faces = os.path.join(tmp, "faces")
        paths = make_faces(faces, args.images)
        for name, spec in BACKBONES.items():
            checkpoint = given.get(name) or one_step_checkpoint(name, spec["size"])
            torch_e2e, torch_forward, parameters = pytorch_rates(spec, paths, args.batch, args.threads)
            out = run([FACENET, "embed", faces, "-o", os.path.join(tmp, name + ".h5"), "--model", checkpoint,
                       "--batch-size", str(args.batch), "--threads", str(args.threads), "--precision", "fp32"])
            ours = float(re.search(r"([0-9.]+) img/s", out).group(1))
            tflite = os.path.join(OUT, name + "_int8.tflite")
            if os.path.exists(tflite):
                os.remove(tflite)  # export refuses to overwrite
            run([FACENET, "export", "--format", "tflite", "--precision", "int8", "--model", checkpoint, "-o", tflite])
            timing = json.loads(run([RUNTIMES_PYTHON, "-c", LITERT_TIMING, tflite, str(args.threads)]).splitlines()[-1])
            rows.append((name, spec["size"], parameters, ours, torch_e2e, torch_forward, timing["ms_per_face"],
                         os.path.getsize(tflite) / 1e6, checkpoint))

    print("\nbench/backbones: %d LFW faces (160x160 JPEG), batch %d, %d threads, float32" % (args.images, args.batch, args.threads))
    print("%-20s %5s %11s %12s %14s %14s %9s %9s %12s %9s" % (
        "backbone", "side", "parameters", "facenet", "PyTorch e2e", "PyTorch fwd", "ratio e2e", "ratio fwd",
        "LiteRT int8", "int8 MB"))
    for name, size, parameters, ours, e2e, forward, ms, mb, _ in rows:
        print("%-20s %5d %11d %8.1f img/s %8.1f img/s %8.1f img/s %9.2f %9.2f %7.2f ms/face %9.1f" % (
            name, size, parameters, ours, e2e, forward, ours / e2e, ours / forward, ms, mb))
    for name, *_, checkpoint in rows:
        print("  %s checkpoint: %s" % (name, os.path.relpath(checkpoint, ROOT)))


main()
