"""Independent reference for ModelsTests.InceptionResNetV2Tests: timm 0.9.16's `inception_resnet_v2`
(installed with --no-deps under Debian's torch 1.13; built without weights, num_classes=0 so its forward ends
at the 1536-D global average pool), loaded with the Swift model's random weights by state-dict name.

The comparison: the Swift model's head (dense 512 + embedding 128) is not timm's (a classifier), so both sides
stop at the pooled features and L2-normalise them (the head replaced by an identity). timm's BatchNorm has a
gamma, the Swift model's (TF-slim / Keras: scale=False) has none: every gamma is set to 1, which is what the
Swift BatchNorm computes. Every other timm tensor must come from the file, and every file tensor outside the
Swift head must be used.

usage: timm_inception_resnet_v2_reference.py WEIGHTS.h5 INPUT.f32 COUNT SIZE
prints JSON: {"features": [[...]], "timm_parameters": N, "timm_gammas": G, "loaded": L}
"""
import json
import sys

import h5py
import numpy as np
import timm
import torch

weights, inputs, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(2)
model = timm.create_model("inception_resnet_v2", pretrained=False, num_classes=0)
model.eval()
state = model.state_dict()
head = ("dense.", "dense_bn.", "last_linear.", "last_bn.")
loaded, gammas = 0, 0
with h5py.File(weights, "r") as f:
    names = set(f.keys())
    for name, tensor in state.items():
        if name.endswith("num_batches_tracked"):
            continue
        if name.endswith("bn.weight"):
            assert name not in names, name + ": the Swift BatchNorm has no gamma"
            tensor.fill_(1.0)
            gammas += tensor.numel()
            continue
        value = torch.from_numpy(np.asarray(f[name], dtype=np.float32))
        assert value.shape == tensor.shape, "%s: %s in the file, %s in timm" % (name, value.shape, tensor.shape)
        tensor.copy_(value)
        names.discard(name)
        loaded += 1
    unused = sorted(n for n in names if not n.startswith(head))
    assert not unused, "file tensors timm does not have: %s" % unused[:10]

x = torch.from_numpy(np.fromfile(inputs, dtype=np.float32).reshape(count, 3, size, size))
with torch.no_grad():
    features = torch.nn.functional.normalize(model(x), dim=1)
print(json.dumps({
    "features": features.tolist(),
    "timm_parameters": sum(p.numel() for p in model.parameters()),
    "timm_gammas": gammas,
    "loaded": loaded,
}))
