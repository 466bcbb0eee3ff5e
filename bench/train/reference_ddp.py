"""bench/train ddp, PyTorch side: `torchrun --nproc_per_node 2 reference_ddp.py`: DistributedDataParallel
(gloo) training steps of facenet-pytorch 2.6.0's InceptionResnetV1 (random weights, FaceNet's 128-D head,
dropout 0.2), 160x160, channels-last, a global batch of 90 faces (30 people x 3) split 45 / 45, semi-hard
mining across the ranks with pytorch-metric-learning's DistributedMinerWrapper and DistributedLossWrapper
(TripletMarginMiner "semihard" and TripletMarginLoss, margin 0.2, squared L2 distance of normalised
embeddings), Adam (lr 1e-4, epsilon 0.1). DDP's defaults: 25 MiB buckets, rank 0's weights broadcast at
the start. Inputs are random normal (a convolution's cost does not depend on the values). Rank 0 prints one
JSON line: global images/s over the timed steps (forward to the end of Adam's step).

usage: torchrun --nproc_per_node 2 reference_ddp.py [--warmup 2] [--steps 6] [--threads 1]
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist
from pytorch_metric_learning import distances, losses, miners
from pytorch_metric_learning.utils import distributed as pml_distributed

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_step import scratch_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--per-person", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    model = scratch_model().to(memory_format=torch.channels_last)
    model.train()
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=1e-4, eps=0.1)
    distance = distances.LpDistance(normalize_embeddings=True, p=2, power=2)
    miner = pml_distributed.DistributedMinerWrapper(
        miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard", distance=distance))
    loss_fn = pml_distributed.DistributedLossWrapper(losses.TripletMarginLoss(margin=0.2, distance=distance))
    total = args.people * args.per_person
    labels = torch.arange(args.people).repeat_interleave(args.per_person)
    share = total // world
    torch.manual_seed(1 + rank)
    x = torch.randn(share, 3, 160, 160).contiguous(memory_format=torch.channels_last)
    y = labels[rank * share:(rank + 1) * share]
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        embeddings = ddp(x)
        indices = miner(embeddings, y)
        loss = loss_fn(embeddings, y, indices)
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
        if rank == 0:
            print("  ddp step %d: %.2f s, loss %.4f, %d triplets" % (step + 1, times[-1], loss.item(), len(indices[0])),
                  flush=True)
    timed = times[args.warmup:]
    if rank == 0:
        print(json.dumps({"images_per_second": total * len(timed) / sum(timed), "steps": len(timed)}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
