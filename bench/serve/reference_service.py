"""The Python reference of bench/serve: a recognition service built the way people build one today (Flask,
threaded, + facenet-pytorch 2.6.0's MTCNN and InceptionResnetV1 + a NumPy nearest-identity search), doing
the job of `facenet serve`'s POST /api/v1/recognize: every face of the uploaded photo (multipart field `file`)
detected (min face 20, thresholds 0.6/0.7/0.7, factor 0.709), cropped with margin 32 to 160 px, prewhitened,
embedded with the same Keras weights (facenet_keras.h5), and named by the nearest mean embedding of the
gallery's identities with the cohort score and threshold 0.61 (as the gallery's default), else "unknown".

The gallery is embedded by this process itself at start from the same enrollment photos (the largest face
of each). Same threads as facenet serve (torch.set_num_threads). Benchmarks only; never part of the product.

usage: reference_service.py --port P --threads T --enroll DIR   (DIR/<identity>/<photo>)
"""
import argparse
import io
import os
import sys

import numpy as np
import torch
from flask import Flask, jsonify, request
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "python"))
from facenet_reference_embed import pretrained, prewhiten  # noqa: E402
from facenet_pytorch.models.mtcnn import MTCNN  # noqa: E402

HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))
THRESHOLD, COHORT = 0.61, 4


class Recognizer:
    def __init__(self, threads):
        torch.set_num_threads(threads)
        self.mtcnn = MTCNN(image_size=160, margin=32, min_face_size=20, thresholds=[0.6, 0.7, 0.7], factor=0.709,
                           post_process=False, keep_all=True)
        self.model = pretrained(os.path.join(HOME, "weights", "facenet_keras.h5"))
        self.names, self.means = [], None

    def faces(self, image):
        """Boxes and unit embeddings of every face of a PIL image."""
        with torch.no_grad():
            boxes, _ = self.mtcnn.detect(image)
            if boxes is None:
                return [], np.zeros((0, 128), np.float32)
            crops = self.mtcnn.extract(image, boxes, None)  # [n, 3, 160, 160], 0..255
            batch = np.stack([prewhiten(c.permute(1, 2, 0).numpy().astype(np.float32)).transpose(2, 0, 1) for c in crops])
            e = self.model(torch.from_numpy(batch.astype(np.float32))).numpy()
        return boxes.tolist(), e / np.linalg.norm(e, axis=1, keepdims=True)

    def enroll(self, folder):
        sums = {}
        for person in sorted(os.listdir(folder)):
            for name in sorted(os.listdir(os.path.join(folder, person))):
                boxes, e = self.faces(Image.open(os.path.join(folder, person, name)).convert("RGB"))
                if len(boxes):
                    largest = max(range(len(boxes)), key=lambda k: (boxes[k][2] - boxes[k][0]) * (boxes[k][3] - boxes[k][1]))
                    sums[person] = sums.get(person, 0) + e[largest]
        self.names = sorted(sums)
        m = np.stack([sums[n] for n in self.names])
        self.means = m / np.linalg.norm(m, axis=1, keepdims=True)

    def recognize(self, image):
        boxes, e = self.faces(image)
        results = []
        for box, d in zip(boxes, np.clip(2 - 2 * e @ self.means.T, 0, 4) if len(boxes) else []):
            order = np.argsort(d)
            nearest = float(d[order[0]])
            others = [float(d[k]) for k in order[1:1 + COHORT]] + [4.0] * max(0, COHORT - len(order) + 1)
            score = nearest / max(sum(others) / COHORT, 1e-12)
            results.append({"box": box, "name": self.names[order[0]] if score <= THRESHOLD else "unknown",
                            "distance": nearest, "score": score})
        return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--enroll", required=True)
    args = parser.parse_args()
    recognizer = Recognizer(args.threads)
    recognizer.enroll(args.enroll)
    app = Flask("reference")

    @app.post("/api/v1/recognize")
    def recognize():
        upload = request.files.get("file")
        if upload is None:
            return jsonify({"error": "no field 'file'"}), 400
        try:
            image = Image.open(io.BytesIO(upload.read())).convert("RGB")
        except Exception as error:  # noqa: BLE001 - any undecodable upload is the client's problem
            return jsonify({"error": str(error)}), 422
        return jsonify({"faces": recognizer.recognize(image)})

    @app.get("/health")
    def health():
        return jsonify({"status": "ok", "identities": len(recognizer.names)})

    print(f"reference: listening on http://127.0.0.1:{args.port}", flush=True)
    app.run(host="127.0.0.1", port=args.port, threaded=True)


if __name__ == "__main__":
    main()
