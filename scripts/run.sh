#!/usr/bin/env bash
# The main job on the default data: set up, build, align ../shared/lfw with MTCNN (160 px, margin 32; images
# already aligned are skipped), then evaluate the pretrained FaceNet on LFW View 2 (pairs.txt) and say where
# the ROC picture is. Outputs go to ./out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPENBLAS_NUM_THREADS=1  # OpenBLAS's own threads fight libtorch's pool
bash scripts/setup.sh
echo "run.sh: building facenet (release)"
swift build -c release --product facenet 2>&1 | tail -1
facenet=".build/release/facenet"
lfw="${FACENET_LFW:-../shared/lfw}"
aligned=out/lfw_mtcnn_160
mkdir -p out

# Status 3 means "done, some items skipped and reported" (a photo without a face, a pair without its image).
ok_or_skipped() { "$@" || { rc=$?; [ "$rc" -eq 3 ] || exit "$rc"; }; }
ok_or_skipped "$facenet" align "$lfw/lfw" "$aligned" --image-size 160 --margin 32
ok_or_skipped "$facenet" eval "$aligned" --pairs "$lfw/pairs.txt" --out out/eval_lfw_view2 --log-far
echo "run.sh: ROC curve in out/eval_lfw_view2/roc.png (and roc.svg, roc.csv); every metric in out/eval_lfw_view2/summary.json"
