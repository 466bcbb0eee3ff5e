"""Independent PyTorch MobileFaceNet for ModelsTests.MobileFaceNetReferenceTests, written from table 1 of
Chen, Liu, Gao and Han 2018, "MobileFaceNets: Efficient CNNs for Accurate Real-Time Face Verification on Mobile
Devices" (arXiv:1804.07573), not from the Swift code:

    input      operator               t    c    n  s
    112^2x3    conv3x3                -   64    1  2
    56^2x64    depthwise conv3x3      -   64    1  1
    56^2x64    bottleneck             2   64    5  2
    28^2x64    bottleneck             4  128    1  2
    14^2x128   bottleneck             2  128    6  1
    14^2x128   bottleneck             4  128    1  2
    7^2x128    bottleneck             2  128    2  1
    7^2x128    conv1x1                -  512    1  1
    7^2x512    linear GDConv7x7       -  512    1  1
    1^2x512    linear conv1x1         -  128    1  1

BatchNorm after every convolution, PReLU as the non-linearity, bottlenecks as MobileNetV2's (1x1 expansion by t,
3x3 depthwise with the row's stride on its first repeat, linear 1x1 projection, residual when stride 1 and the
channels agree); the last linear 1x1 convolution is written as nn.Linear (no bias) + BatchNorm1d on the flattened
1x1 grid, then L2 normalisation. Module names are TreB1eN/InsightFace_Pytorch's, so a state dict loads by name
(strictly: every tensor named and shaped the same).

usage: mobilefacenet_reference.py STATE.h5 INPUT.f32 COUNT OUTPUT.f32
STATE.h5 holds one dataset per state-dict tensor; INPUT.f32 COUNT preprocessed faces [3, 112, 112] (float32).
Writes the embeddings [COUNT, 128] and prints a JSON summary (parameter count, tensors loaded).
"""
import json
import sys

import h5py
import numpy as np
import torch
from torch import nn

# (t, c, n, s) of the bottleneck rows of table 1.
BOTTLENECKS = [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]


class Unit(nn.Module):
    """conv (no bias) -> BatchNorm -> PReLU per channel, without the PReLU when linear."""

    def __init__(self, cin, cout, k=1, s=1, p=0, groups=1, linear=False):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, p, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.prelu = None if linear else nn.PReLU(cout)

    def forward(self, x):
        x = self.bn(self.conv(x))
        return x if self.prelu is None else self.prelu(x)


class Bottleneck(nn.Module):
    def __init__(self, cin, cout, t, s):
        super().__init__()
        hidden = cin * t
        self.conv = Unit(cin, hidden)
        self.conv_dw = Unit(hidden, hidden, 3, s, 1, groups=hidden)
        self.project = Unit(hidden, cout, linear=True)
        self.residual = s == 1 and cin == cout

    def forward(self, x):
        y = self.project(self.conv_dw(self.conv(x)))
        return x + y if self.residual else y


class Repeats(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.model = nn.Sequential(*blocks)

    def forward(self, x):
        return self.model(x)


class MobileFaceNet(nn.Module):
    # Each table row: its first bottleneck (the row's stride) and, when n > 1, the n - 1 stride-1 repeats;
    # a stride-1 row whose channels are kept is all repeats. Names: TreB1eN's.
    ROW_NAMES = [("conv_23", "conv_3"), ("conv_34", None), (None, "conv_4"), ("conv_45", None), (None, "conv_5")]

    def __init__(self, embedding=128):
        super().__init__()
        self.conv1 = Unit(3, 64, 3, 2, 1)
        self.conv2_dw = Unit(64, 64, 3, 1, 1, groups=64)
        cin = 64
        self.stages = []
        for (t, c, n, s), (first, rest) in zip(BOTTLENECKS, self.ROW_NAMES):
            blocks = [Bottleneck(cin, c, t, s)] + [Bottleneck(c, c, t, 1) for _ in range(n - 1)]
            if first is not None:
                setattr(self, first, blocks[0])
                self.stages.append(first)
                blocks = blocks[1:]
            if rest is not None:
                setattr(self, rest, Repeats(blocks))
                self.stages.append(rest)
            else:
                assert not blocks
            cin = c
        self.conv_6_sep = Unit(128, 512)
        self.conv_6_dw = Unit(512, 512, 7, 1, 0, groups=512, linear=True)
        self.linear = nn.Linear(512, embedding, bias=False)
        self.bn = nn.BatchNorm1d(embedding)

    def forward(self, x):
        x = self.conv2_dw(self.conv1(x))
        for name in self.stages:
            x = getattr(self, name)(x)
        x = self.conv_6_dw(self.conv_6_sep(x))
        assert x.shape[2:] == (1, 1), x.shape
        x = self.bn(self.linear(x.flatten(1)))
        return nn.functional.normalize(x, p=2, dim=1)


def main():
    state_path, input_path, count, output_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(2)
    model = MobileFaceNet()
    with h5py.File(state_path, "r") as f:
        state = {name: torch.from_numpy(np.array(f[name])) for name in f.keys()}
    result = model.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if not k.endswith("num_batches_tracked")]
    assert not missing and not result.unexpected_keys, (missing, result.unexpected_keys)
    model.eval()
    x = torch.from_numpy(np.fromfile(input_path, dtype="<f4").reshape(count, 3, 112, 112))
    with torch.no_grad():
        y = model(x)
    y.numpy().astype("<f4").tofile(output_path)
    print(json.dumps({
        "parameters": sum(p.numel() for p in model.parameters()),
        "tensors_loaded": len(state),
        "state_dict_tensors": len([k for k in model.state_dict() if not k.endswith("num_batches_tracked")]),
    }))


if __name__ == "__main__":
    main()
