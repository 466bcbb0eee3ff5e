#!/usr/bin/env bash
# bench/openset: open-set identification on LFW with `facenet enroll` + `facenet identify` (docs/results.md).
# Enrolls the first 2 photos of every LFW person with at least 4, probes with their other photos (genuine) and
# with the photo of every person who has exactly one (strangers, never enrolled); reports rank-1, and DIR at
# 1% and 0.1% false alarms for both rules (min, mean) and the three scores (distance, ratio, cohort). Outputs in out/openset/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export OPENBLAS_NUM_THREADS=1
facenet=.build/release/facenet
[ -x "$facenet" ] || swift build -c release --product facenet
lfw="${FACENET_LFW:-../shared/lfw}/lfw"
out=out/openset
if [ "${1:-}" != "--keep-gallery" ]; then
    rm -rf "$out"
    mkdir -p "$out"
    python3 bench/openset/protocol.py split "$lfw" "$out"
    # The protocol enrolls exactly the first two photos: the quality gate is opened, a photo with several faces
    # gives its main face (--largest), as `facenet align` keeps.
    "$facenet" enroll "$out/enroll" --gallery "$out/gallery.db" --largest --min-enroll-size 0 --min-score 0 \
        --min-sharpness 0 || [ $? -eq 3 ]
fi
# The scoring reads only each face's nearest identities (top_k, nearest), never identify's decision, so any
# threshold will do; one is given because a gallery's threshold holds for one rule only (identify refuses
# another rule without --threshold).
for rule in mean min; do
    for set in genuine strangers; do
        "$facenet" identify "$out/$set" --gallery "$out/gallery.db" --rule "$rule" --threshold 4 --score distance --top-k 20 \
            > "$out/${set}_${rule}.jsonl" || [ $? -eq 3 ]
    done
done
python3 bench/openset/protocol.py score "$lfw" "$out"
curves=()
for rule in mean min; do for score in distance ratio cohort; do curves+=("$out/curves/${rule}_$score/summary.json"); done; done
"$facenet" eval --compare "${curves[@]}" --log-far --out "$out/chart" --title "Open-set identification on LFW (610 enrolled)" \
    --x-title "False-alarm rate (strangers named)" --y-title "Detection and identification rate (DIR)"
# The same curves as a DET chart: misses (genuine probes not named right, 1 - DIR) against false alarms, log axes.
"$facenet" eval --compare "${curves[@]}" --det --out "$out/det" --title "Open-set identification on LFW (610 enrolled): DET" \
    --x-title "False-alarm rate (strangers named)" --y-title "Miss rate (1 - DIR)"
echo "bench/openset: charts in $out/chart/compare.png and $out/det/compare.png"
