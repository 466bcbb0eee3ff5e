#!/usr/bin/env bash
# bench/export: exported models (TFLite fp32/fp16/int8, ONNX) in LiteRT / ONNX Runtime against libtorch:
# LFW View 2 accuracy, ms per face and file size, in one invocation. Needs out/lfw_mtcnn_160
# (bash scripts/run.sh makes it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
python3 bench/export/bench.py "$@"
