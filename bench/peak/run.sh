#!/usr/bin/env bash
# bench/peak: float32 FMA and bfloat16 dot-product peak GFLOP/s of one core and of THREADS cores (default: all),
# with the probe `facenet` itself uses to choose its default precision. Prints one JSON line (a second).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -ISources/CCPUProbe/include Sources/CCPUProbe/probe.c bench/peak/peak.c -lpthread -o "$out/peak"
"$out/peak" "${1:-$(nproc)}"
