#!/usr/bin/env bash
# bench/backbones: embed img/s of Inception-ResNet-v2 and MobileFaceNet against PyTorch running the same
# architecture (timm's, the table-1 reference module), and LiteRT int8 ms/face of each export, in one
# invocation. Needs out/lfw_mtcnn_160 for the one-step checkpoints (bash scripts/run.sh makes it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
"${FACENET_HOME:-$HOME/.cache/facenet}/venv-torch/bin/python" bench/backbones/bench.py "$@"
