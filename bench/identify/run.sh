#!/usr/bin/env bash
# bench/identify: `facenet identify` photos/s against facenet-pytorch MTCNN + InceptionResnetV1 + NumPy (one
# invocation; docs/benchmarks.md). Usage: bench/identify/run.sh [--people P] [--probes N] [--threads T]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
"${FACENET_HOME:-$HOME/.cache/facenet}/venv-torch/bin/python" bench/identify/bench.py "$@"
