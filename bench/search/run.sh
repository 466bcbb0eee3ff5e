#!/usr/bin/env bash
# bench/search: gallery search latency (docs/benchmarks.md, "Gallery search"). For 10k, 100k and 1M random
# normalised 128-D vectors (one identity each, rule mean: a plain k-nearest search, k 5): exact search
# (`facenet gallery bench-search --index exact`, one libtorch matrix product) against NumPy brute force
# (numpy_search.py) with the same threads, per probe (mean of 200 searched one at a time) and per batch of
# 1,000; the ratio NumPy / facenet (>= 1: facenet as fast or faster). Then HNSW (FAISS) at each size: build
# time, latency and recall@1 against the exact search; and on real faces (a gallery, every fifth face held
# out as a probe) for both rules. Usage: bench/search/run.sh [THREADS] [GALLERY.db]   (default 1 thread,
# the open-set bench's gallery out/openset/gallery.db). SIZES="10000 100000" to skip 1M; HNSW_SIZES (default: SIZES)
# the sizes HNSW is built at (its build is the slow part: minutes at 100k).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads="${1:-1}"
gallery="${2:-out/openset/gallery.db}"
export OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads"
facenet=.build/release/facenet
[ -x "$facenet" ] || swift build -c release --product facenet
out=out/bench-search
mkdir -p "$out"
log="$out/results.jsonl"
: > "$log"
for faces in ${SIZES:-10000 100000 1000000}; do
    e=$("$facenet" gallery bench-search --index exact --faces "$faces" --threads "$threads")
    n=$(python3 bench/search/numpy_search.py --faces "$faces" --threads "$threads")
    echo "$e" >> "$log"
    echo "$n" >> "$log"
    python3 - "$e" "$n" <<'PY'
import json, sys
e, n = (json.loads(s) for s in sys.argv[1:])
print(f"{e['faces']:>8} faces, {e['threads']} thread(s): exact {e['per_probe_ms']:.3f} ms/probe, "
      f"{e['per_batch_ms']:.1f} ms/1000; numpy {n['per_probe_ms']:.3f} ms/probe, {n['per_batch_ms']:.1f} ms/1000; "
      f"ratio numpy/facenet {n['per_probe_ms'] / e['per_probe_ms']:.2f} per probe, "
      f"{n['per_batch_ms'] / e['per_batch_ms']:.2f} per batch")
PY
    case " ${HNSW_SIZES:-${SIZES:-10000 100000 1000000}} " in *" $faces "*) ;; *) continue ;; esac
    for ef in ${EF_SEARCH:-16 64 128}; do
        h=$("$facenet" gallery bench-search --index hnsw --faces "$faces" --threads "$threads" --ef-search "$ef")
        echo "$h" >> "$log"
        echo "$h"
    done
done
if [ -f "$gallery" ]; then
    for rule in min mean; do
        for index in exact hnsw; do
            r=$("$facenet" gallery bench-search --gallery "$gallery" --index "$index" --rule "$rule" --threads "$threads")
            echo "$r" >> "$log"
            echo "$r"
        done
    done
fi
