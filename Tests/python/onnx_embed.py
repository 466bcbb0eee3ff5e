"""Runs an .onnx model with the official ONNX Runtime (PyPI onnxruntime, CPU) on raw float32 inputs, after
checking it with the onnx package's checker (full check, with shape inference).

usage: onnx_embed.py MODEL.onnx INPUTS.f32 OUTPUTS.f32 [--batch B] [--threads N]

INPUTS.f32 holds N inputs back to back, each shaped like the model's input without its batch dimension
(little-endian float32, row-major, e.g. NCHW [3, 160, 160]); they run B at a time (the batch dimension is
symbolic). The outputs are written back to back to OUTPUTS.f32. Prints a JSON summary.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main():
    args = sys.argv[1:]
    batch, threads = 1, 2
    if "--batch" in args:
        i = args.index("--batch")
        batch = int(args[i + 1])
        del args[i:i + 2]
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i:i + 2]
    model_path, inputs_path, outputs_path = args

    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    (input_info,) = session.get_inputs()
    (output_info,) = session.get_outputs()
    per_input = int(np.prod([d for d in input_info.shape[1:]]))
    flat = np.fromfile(inputs_path, dtype="<f4")
    assert flat.size % per_input == 0, (flat.size, input_info.shape)
    x = flat.reshape([-1] + list(input_info.shape[1:]))
    outputs = [session.run(None, {input_info.name: x[k:k + batch]})[0] for k in range(0, len(x), batch)]
    np.concatenate(outputs).astype("<f4").tofile(outputs_path)
    meta = session.get_modelmeta()
    print(json.dumps({
        "input_name": input_info.name,
        "input_shape": [d if isinstance(d, int) else str(d) for d in input_info.shape],
        "output_name": output_info.name,
        "output_shape": [d if isinstance(d, int) else str(d) for d in output_info.shape],
        "count": int(len(x)),
        "ir_version": int(model.ir_version),
        "opset": [int(o.version) for o in model.opset_import],
        "metadata": dict(meta.custom_metadata_map),
        "nodes": len(model.graph.node),
    }))


if __name__ == "__main__":
    main()
