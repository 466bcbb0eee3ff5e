#!/usr/bin/env bash
# bench/cluster: each algorithm's default threshold chosen on LFW people with 2-9 photos, then pairwise
# precision / recall / F1 on every person with >= 10 photos for both algorithms, beside scikit-learn's DBSCAN
# on the same embeddings (one invocation). Reuses out/lfw_mtcnn_160 (facenet align's crops) when present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
ALIGNED="${ALIGNED:-out/lfw_mtcnn_160}"
if [ ! -d "$ALIGNED" ]; then
    .build/release/facenet align ../shared/lfw/lfw "$ALIGNED" --image-size 160 --margin 32
fi
"${FACENET_HOME:-$HOME/.cache/facenet}/venv-torch/bin/python" bench/cluster/bench.py --aligned "$ALIGNED" "$@"
