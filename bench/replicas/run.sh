#!/usr/bin/env bash
# bench/replicas: the time from replica A's 200 to replica B's first answer naming the face, two `facenet serve` over one
# throw-away PostgreSQL gallery (bench/replicas/bench.py says how). Run it on a quiet machine:
#
#   bash bench/replicas/run.sh                          # 100 enrolls into a gallery of 50 people
#   bash bench/replicas/run.sh --synthetic 100000       # the same over 100,000 more faces (B's reload grows)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/setup.sh
swift build -c release --product facenet >/dev/null
export OPENBLAS_NUM_THREADS=1
"${FACENET_HOME:-$HOME/.cache/facenet}/venv-serve/bin/python" bench/replicas/bench.py "$@"
