#!/usr/bin/env bash
# bench/train: facenet's training step and training loop against PyTorch + pytorch-metric-learning on the same
# faces and threads, plus peak memory, in one invocation (about 10 minutes). Needs out/lfw_mtcnn_160
# (bash scripts/run.sh makes it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
python3 bench/train/bench.py "$@"
