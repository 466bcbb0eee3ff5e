#!/usr/bin/env bash
# bench/train ddp: `facenet launch --nproc 2` against torchrun + DistributedDataParallel + pytorch-metric-learning,
# 1 rank x 2 threads against 2 x 1, and the all-reduce per step bucketed against per tensor (about 10 minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
"$HOME/.cache/facenet/venv-torch/bin/python" bench/train/ddp.py "$@"
