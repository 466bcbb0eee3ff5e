"""Makes a test video from LFW stills with OpenCV's VideoWriter, and its ground truth.

Three people of the gallery and one stranger (an LFW person with a single photo, never enrolled) are each shown
for a few seconds, moving across a 640x480 frame; two are on screen at once part of the time, in separate
bands, so their boxes never overlap. The stills shown are not the photos enrolled.

    python3 make_clip.py LFW_DIR OUT.mp4 TRUTH.json [--fps 15] [--scale 1.0]

--scale shrinks the frame and the stills together (0.5: 320x240, faces about 45 px), for the debug-built tests.

TRUTH.json: the clip's size, rate and frame count; `enroll` (name -> photo paths to enroll: the three people
shown and a few others, so the gallery has people to compare against); `appearances`, one per person shown:
name (null for the stranger), still, first and last frame, and the still's rectangle [x, y, w, h] in each frame.
"""

import argparse
import json
import os

import cv2
import numpy as np

BASE_WIDTH, BASE_HEIGHT = 640, 480
BASE_STILL = 200  # the 250x250 LFW still is resized to STILL x STILL (its face about 90 px wide)

# (name or None for the stranger, LFW folder, photo shown, start s, end s, band (0 top, 1 bottom), direction)
SCENARIO = [
    ("Colin_Powell", "Colin_Powell", 3, 0.0, 4.0, 0, +1),
    ("Tony_Blair", "Tony_Blair", 3, 2.5, 6.5, 1, -1),
    ("Serena_Williams", "Serena_Williams", 3, 5.0, 9.0, 0, +1),
    (None, "Aaron_Eckhart", 1, 7.0, 10.0, 1, -1),
]
# Enrolled as well (two photos each), so that the gallery holds more than the people shown.
OTHERS = ["George_W_Bush", "Gerhard_Schroeder", "Hugo_Chavez", "Donald_Rumsfeld", "Jean_Chretien", "Ariel_Sharon",
          "John_Ashcroft"]
SECONDS = 10.0


def photo(lfw, folder, number):
    return os.path.join(lfw, folder, f"{folder}_{number:04d}.jpg")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lfw")
    parser.add_argument("out")
    parser.add_argument("truth")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    global WIDTH, HEIGHT, STILL
    WIDTH, HEIGHT = int(round(BASE_WIDTH * args.scale)), int(round(BASE_HEIGHT * args.scale))
    STILL = int(round(BASE_STILL * args.scale))

    frames = int(round(SECONDS * args.fps))
    stills = []
    for name, folder, number, start, end, band, direction in SCENARIO:
        image = cv2.imread(photo(args.lfw, folder, number), cv2.IMREAD_COLOR)
        assert image is not None, photo(args.lfw, folder, number)
        stills.append(cv2.resize(image, (STILL, STILL), interpolation=cv2.INTER_AREA))

    writer = cv2.VideoWriter(args.out, cv2.VideoWriter_fourcc(*"mp4v"), args.fps, (WIDTH, HEIGHT))
    assert writer.isOpened(), "OpenCV's FFmpeg writer did not open " + args.out
    # A fixed background with some structure (a horizontal gradient and seeded noise), so frames are not flat.
    rng = np.random.default_rng(7)
    ramp = np.linspace(70, 150, WIDTH, dtype=np.float32)[None, :, None]
    background = np.clip(ramp + rng.normal(0, 6, (HEIGHT, WIDTH, 3)), 0, 255).astype(np.uint8)

    appearances = [dict(name=s[0], still=photo(args.lfw, s[1], s[2]), first=None, last=None, rects={})
                   for s in SCENARIO]
    for f in range(frames):
        t = f / args.fps
        frame = background.copy()
        for k, (name, folder, number, start, end, band, direction) in enumerate(SCENARIO):
            if not (start <= t < end):
                continue
            progress = (t - start) / (end - start)
            if direction < 0:
                progress = 1 - progress
            x = int(round((20 + progress * (BASE_WIDTH - BASE_STILL - 40)) * args.scale))
            y = int(round((20 + band * (BASE_HEIGHT - BASE_STILL - 40) + 10 * np.sin(2 * np.pi * progress)) * args.scale))
            frame[y:y + STILL, x:x + STILL] = stills[k]
            a = appearances[k]
            a["first"] = f if a["first"] is None else a["first"]
            a["last"] = f
            a["rects"][str(f)] = [x, y, STILL, STILL]
        writer.write(frame)
    writer.release()

    enroll = {s[1]: [photo(args.lfw, s[1], 1), photo(args.lfw, s[1], 2)] for s in SCENARIO if s[0] is not None}
    enroll.update({name: [photo(args.lfw, name, 1), photo(args.lfw, name, 2)] for name in OTHERS})
    truth = dict(width=WIDTH, height=HEIGHT, fps=args.fps, frames=frames, enroll=enroll, appearances=appearances)
    with open(args.truth, "w") as out:
        json.dump(truth, out)


if __name__ == "__main__":
    main()
