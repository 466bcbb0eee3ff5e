#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds the package and its tests, then runs `swift test` with any extra
# arguments passed through (e.g. `bash scripts/test.sh --filter HDF5Tests`). Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# OpenBLAS's own threads fight libtorch's intra-op pool on 2 cores.
export OPENBLAS_NUM_THREADS=1
# The suite's references are float32: the default precision is fp32 on every CPU, and the tests of bfloat16
# ask for it (`--precision bf16`, `precision: bf16`).
export FACENET_PRECISION=fp32
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

fail() { printf 'test.sh: FAILED: %s\n' "$*"; exit 1; }

bash scripts/setup.sh || fail "scripts/setup.sh exited $?"

echo "test.sh: swift build --build-tests"
swift build --build-tests || fail "swift build --build-tests exited $?"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "test.sh: swift test --skip-build${*:+ $*}"
rc=0
# --skip-build: the build above made everything; without it `swift test` spends a minute building again.
swift test --skip-build "$@" 2>&1 | tee "$log" || rc=$?

# Count test cases from both runners' per-test lines:
#   XCTest:        Test Case 'Suite.testName' passed (0.001 seconds).
#   Swift Testing: ✔ Test name() passed after 0.001 seconds.   (the "Test run with N tests" summary is not a test)
count() { LC_ALL=C grep -cP "$1" "$log" || true; }
passed=$(( $(count "^Test Case '.*' passed") + $(count '^\S+ Test (?!run with ).* passed after') ))
failed=$(( $(count "^Test Case '.*' failed") + $(count '^\S+ Test (?!run with ).* failed after') ))
skipped=$(( $(count "^Test Case '.*' skipped") + $(count '^\S+ Test (?!run with ).* skipped') ))

if [ "$rc" -ne 0 ]; then
    echo "test.sh: FAILED: swift test exited $rc"
    echo "test.sh: $passed passed, $failed failed, $skipped skipped"
    exit "$rc"
fi
echo "test.sh: PASSED: setup, build and swift test"
echo "test.sh: $passed passed, $failed failed, $skipped skipped"
