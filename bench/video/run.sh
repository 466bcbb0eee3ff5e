#!/usr/bin/env bash
# bench/video: `facenet identify --video` frames/s and correctness on a 640x480 clip made from LFW stills
# (Tests/python/make_clip.py: three enrolled people and a stranger, 10 s at 15 frames/s, two faces at once
# part of the time), detection on every frame and on every N-th (docs/benchmarks.md, "Video"; the default
# --detect-every is chosen from this table). The reference in the same invocation is `facenet identify` on
# the clip's frames as photos (every frame detected and identified, no tracking): the ratio says what the
# tracking saves. Usage: bench/video/run.sh [THREADS]   (default 2; STEPS="1 2 3 5 10" to change the steps)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads="${1:-2}"
export OPENBLAS_NUM_THREADS=1
facenet=.build/release/facenet
[ -x "$facenet" ] || swift build -c release --product facenet
python=$HOME/.cache/facenet/venv-torch/bin/python
lfw="${LFW:-../shared/lfw/lfw}"
out=out/bench-video
rm -rf "$out" && mkdir -p "$out/enroll" "$out/frames"
"$python" Tests/python/make_clip.py "$lfw" "$out/clip.mp4" "$out/truth.json" --fps 15
"$python" - "$out" <<'PY'
import cv2, json, os, sys
out = sys.argv[1]
truth = json.load(open(f"{out}/truth.json"))
for name, photos in truth["enroll"].items():
    os.makedirs(f"{out}/enroll/{name}", exist_ok=True)
    for p in photos:
        os.symlink(os.path.abspath(p), f"{out}/enroll/{name}/{os.path.basename(p)}")
c = cv2.VideoCapture(f"{out}/clip.mp4"); n = 0
while True:
    ok, frame = c.read()
    if not ok: break
    cv2.imwrite(f"{out}/frames/{n:04d}.png", frame); n += 1
PY
# Exit status 3: done, some photos refused by the quality gate (README).
"$facenet" enroll "$out/enroll" --gallery "$out/g.db" --threads "$threads" > /dev/null 2>&1 || [ $? -eq 3 ]
start=$(date +%s.%N)
"$facenet" identify "$out/frames" --gallery "$out/g.db" --threads "$threads" > "$out/photos.jsonl" 2> /dev/null \
    || [ $? -eq 3 ]
photos_s=$(echo "$(date +%s.%N) - $start" | bc)
for step in ${STEPS:-1 2 3 5 10}; do
    start=$(date +%s.%N)
    "$facenet" identify --video "$out/clip.mp4" --gallery "$out/g.db" --detect-every "$step" --threads "$threads" \
        > "$out/video-$step.jsonl" 2> "$out/video-$step.err"
    video_s=$(echo "$(date +%s.%N) - $start" | bc)
    "$python" - "$out" "$step" "$video_s" "$photos_s" <<'PY'
import json, sys
out, step, video_s, photos_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
truth = json.load(open(f"{out}/truth.json"))
lines = [json.loads(l) for l in open(f"{out}/video-{step}.jsonl")]
frames = [l for l in lines if "frame" in l]
tracks = [l for l in lines if "first_frame" in l]
# Each track's still: the appearance its detected boxes' centres fall in most often.
hits = {}
for l in frames:
    if not l["detected"]: continue
    for f in l["faces"]:
        b = f["box"]; cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        for k, a in enumerate(truth["appearances"]):
            r = a["rects"].get(str(l["frame"]))
            if r and r[0] <= cx <= r[0] + r[2] and r[1] <= cy <= r[1] + r[3]:
                hits.setdefault(f["track"], {}).setdefault(k, 0); hits[f["track"]][k] += 1
right = 0
for t in tracks:
    on = hits.get(t["track"], {})
    if len(on) == 1:
        a = truth["appearances"][next(iter(on))]
        right += t["name"] == (a["name"] or "unknown")
switches = sum(t["switches"] for t in tracks)
n = len(frames)
print(f"detect every {step:>2}: {n / video_s:6.1f} frames/s (whole command {video_s:.1f} s), {len(tracks)} tracks "
      f"for {len(truth['appearances'])} people, {right} named right, {switches} switches; "
      f"ratio against identify on the {n} frames as photos ({n / photos_s:.1f} frames/s): {photos_s / video_s:.2f}")
PY
done
lscpu | grep 'Model name' | sed 's/  */ /g'
