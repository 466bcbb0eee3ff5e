"""bench/train (a), PyTorch side: training steps of facenet-pytorch 2.6.0's InceptionResnetV1 (random weights,
128-D head, dropout 0.2 as facenet's model), 160x160, batch 90, channels_last, train mode (BatchNorm updating its statistics): forward, triplet loss
(margin 0.2, squared distances of the L2-normalised embeddings) over the fixed triplets (3i, 3i+1, 3i+2),
backward, Adam (lr 1e-4, epsilon 0.1). Inputs are random normal (the cost of a convolution does not depend on
the values). With --precision bf16 the forward pass runs under `torch.autocast("cpu",
dtype=torch.bfloat16)` and the loss on its output cast to float32 (PyTorch's recipe: float32 weights and Adam,
backward outside the context), as facenet computes. Prints one
JSON line: images/s over the timed steps.

usage: reference_step.py [--batch 90] [--warmup 2] [--steps 6] [--threads 2] [--precision fp32|bf16]
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "python"))
from facenet_reference_embed import InceptionResnetV1, nn  # noqa: E402


def scratch_model():
    """facenet-pytorch's InceptionResnetV1 from random weights with FaceNet's 128-D head (as facenet's
    Sources/Models builds it: bottleneck without bias, BatchNorm eps 0.001) and dropout 0.2."""
    model = InceptionResnetV1(dropout_prob=0.2)
    model.last_linear = nn.Linear(1792, 128, bias=False)
    model.last_bn = nn.BatchNorm1d(128, eps=0.001, momentum=0.1, affine=True)
    return model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=90)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = scratch_model()
    model.train()
    model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, eps=0.1)
    x = torch.randn(args.batch, 3, 160, 160).contiguous(memory_format=torch.channels_last)
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            e = model(x)
        e = e.float()
        a, p, n = e[0::3], e[1::3], e[2::3]
        loss = torch.clamp(((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + 0.2, min=0).mean()
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
        print("  pytorch step %d: %.2f s, loss %.4f" % (step + 1, times[-1], loss.item()), flush=True)
    timed = times[args.warmup:]
    print(json.dumps({"images_per_second": args.batch * len(timed) / sum(timed), "steps": len(timed)}), flush=True)


if __name__ == "__main__":
    main()
