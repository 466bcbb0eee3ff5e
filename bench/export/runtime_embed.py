"""Embeds the faces a pairs file names with an exported model in its official runtime, and writes them in
`facenet embed`'s HDF5 layout (docs/formats.md) so that `facenet eval --embeddings` computes the metrics
with the same code as for libtorch's embeddings.

usage: runtime_embed.py MODEL (.tflite | .onnx) ALIGNED_DIR PAIRS OUT.h5 [--threads N] [--limit N]

.tflite runs in LiteRT (PyPI ai-edge-litert; its default CPU delegate XNNPACK, `num_threads` N) through the
signature runner, one face per call; .onnx runs in ONNX Runtime (CPU, intra-op threads N), one face per call.
Faces are decoded with Pillow (PNG is lossless: the same pixels OpenCV gives `facenet`) and prewhitened as
davidsandberg/facenet `src/facenet.py` `prewhiten` does: (x - mean) / max(std, 1/sqrt(x.size)).
Prints a JSON line: model, runtime, faces, milliseconds per face (inference only, after 5 warm-up calls).
"""
import argparse
import json
import os
import time


def pair_images(pairs_path):
    """Relative paths (<name>/<name>_NNNN.png) of every image the pairs file names, in first-use order."""
    seen = {}
    with open(pairs_path) as f:
        lines = f.read().split("\n")
    for line in lines[1:]:
        fields = line.split()
        if len(fields) == 3:
            refs = [(fields[0], int(fields[1])), (fields[0], int(fields[2]))]
        elif len(fields) == 4:
            refs = [(fields[0], int(fields[1])), (fields[2], int(fields[3]))]
        else:
            continue
        for name, number in refs:
            seen.setdefault("%s/%s_%04d.png" % (name, name, number), None)
    return list(seen)


def prewhiten(x):
    import numpy as np
    x = x.astype(np.float64)
    std_adj = max(x.std(), 1.0 / np.sqrt(x.size))
    return ((x - x.mean()) / std_adj).astype(np.float32)


class LiteRT:
    name = "LiteRT"

    def __init__(self, path, threads):
        from ai_edge_litert.interpreter import Interpreter
        self.interpreter = Interpreter(model_path=path, num_threads=threads)
        self.runner = self.interpreter.get_signature_runner("serving_default")
        (self.input_name, detail), = self.runner.get_input_details().items()
        self.shape = [int(v) for v in detail["shape"]]  # [1, S, S, 3]

    def __call__(self, face_hwc):
        import numpy as np
        (_, y), = self.runner(**{self.input_name: face_hwc[None]}).items()
        return np.asarray(y, dtype=np.float32).reshape(-1)


class ONNXRuntime:
    name = "ONNX Runtime"

    def __init__(self, path, threads):
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        shape = self.session.get_inputs()[0].shape  # [batch, 3, S, S]
        self.shape = [1, shape[2], shape[3], 3]

    def __call__(self, face_hwc):
        import numpy as np
        x = np.ascontiguousarray(face_hwc.transpose(2, 0, 1)[None])
        return self.session.run(None, {self.input_name: x})[0].reshape(-1)


def main():
    # Imported here: bench.py imports pair_images from this file under a Python without them.
    import h5py
    import numpy as np
    from PIL import Image

    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("aligned")
    parser.add_argument("pairs")
    parser.add_argument("out")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N images (timing runs)")
    args = parser.parse_args()

    runtime = (ONNXRuntime if args.model.endswith(".onnx") else LiteRT)(args.model, args.threads)
    size = runtime.shape[1]
    paths = pair_images(args.pairs)
    if args.limit:
        paths = paths[:args.limit]
    faces = []
    for p in paths:
        image = np.asarray(Image.open(os.path.join(args.aligned, p)).convert("RGB"))
        assert image.shape == (size, size, 3), (p, image.shape)
        faces.append(prewhiten(image))
    for face in faces[:5]:
        runtime(face)
    embeddings = []
    start = time.perf_counter()
    for i, face in enumerate(faces):
        embeddings.append(runtime(face))
        if (i + 1) % 1000 == 0:
            rate = (i + 1) / (time.perf_counter() - start)
            print("  %s: %d/%d faces, %.1f faces/s" % (runtime.name, i + 1, len(faces), rate), flush=True)
    seconds = time.perf_counter() - start
    embeddings = np.stack(embeddings).astype(np.float32)

    names = sorted({p.split("/")[0] for p in paths})
    index = {n: i for i, n in enumerate(names)}
    tmp = args.out + ".tmp"
    with h5py.File(tmp, "w") as f:
        f["embeddings"] = embeddings
        f["paths"] = np.array(paths, dtype=h5py.string_dtype())
        f["labels"] = np.array([index[p.split("/")[0]] for p in paths], dtype=np.int64)
        f["label_names"] = np.array(names, dtype=h5py.string_dtype())
        f["failed_paths"] = np.array([], dtype=h5py.string_dtype())
        f["failed_reasons"] = np.array([], dtype=h5py.string_dtype())
        f.attrs["model"] = os.path.basename(args.model)
        f.attrs["preprocessing"] = "prewhiten"
        f.attrs["embedding_size"] = np.int64(embeddings.shape[1])
        f.attrs["image_size"] = np.int64(size)
        f.attrs["root"] = os.path.abspath(args.aligned)
        f.attrs["created"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    os.replace(tmp, args.out)
    print(json.dumps({"model": args.model, "runtime": runtime.name, "threads": args.threads, "faces": len(faces),
                      "ms_per_face": 1000.0 * seconds / len(faces)}), flush=True)


if __name__ == "__main__":
    main()
