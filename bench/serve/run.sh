#!/usr/bin/env bash
# bench/serve: `facenet serve` recognize requests/s and p50/p99 at 1, 8 and 32 concurrent clients against a
# Python reference service (Flask + facenet-pytorch, same threads) and against --max-batch 1, in one invocation
# (bench/serve/bench.py says how). Run it on a quiet machine:
#
#   bash bench/serve/run.sh                      # 15 s per level: about 5 minutes in all
#   bash bench/serve/run.sh --seconds 5 --people 20 --clients 1,8   # a short check that it works
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
"${FACENET_HOME:-$HOME/.cache/facenet}/venv-serve/bin/python" bench/serve/bench.py "$@"
