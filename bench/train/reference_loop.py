"""bench/train (b), PyTorch side: the training loop a pytorch-metric-learning user writes, on the same aligned
faces and people as bench/train/bench-train.yaml:

  Dataset over <data>/<identity>/<image>.png of the people in an include list (PIL decode, random horizontal
  flip, prewhitening as davidsandberg/facenet `prewhiten`), `samplers.MPerClassSampler(labels, m=3,
  batch_size=90)` (30 people x 3 images per batch), `DataLoader(num_workers=W)`; facenet-pytorch 2.6.0's
  InceptionResnetV1 (random weights, 128-D head, dropout 0.2, channels_last, train mode);
  `miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard")` and `losses.TripletMarginLoss(margin=0.2)`
  (its default reducer averages the non-zero losses) with `LpDistance(normalize_embeddings=True, p=2, power=2)`
  (squared Euclidean, as FaceNet); Adam (lr 1e-4, epsilon 0.1).

Images/s = 90 x timed steps / wall-clock time from the end of the warm-up steps to the end of the last step
(decoding, augmentation, mining, forward, backward and update, whatever overlaps). One JSON line at the end.

With --precision bf16 the forward pass runs under `torch.autocast("cpu", dtype=torch.bfloat16)`; mining and the
loss take its output cast to float32, as facenet computes.

usage: reference_loop.py DATA_DIR INCLUDE.txt [--warmup 2] [--steps 10] [--workers 2] [--threads 2]
                         [--precision fp32|bf16]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from pytorch_metric_learning import distances, losses, miners, samplers

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "python"))
from facenet_reference_embed import prewhiten  # noqa: E402
from reference_step import scratch_model  # noqa: E402  (the same random-weight model as the step benchmark)


class Faces(torch.utils.data.Dataset):
    def __init__(self, root, people):
        self.items = []
        for label, person in enumerate(sorted(people)):
            folder = os.path.join(root, person)
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                self.items.append((os.path.join(folder, name), label))
        self.labels = [label for _, label in self.items]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        image = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
        if np.random.rand() < 0.5:
            image = image[:, ::-1]
        return torch.from_numpy(prewhiten(image).transpose(2, 0, 1).astype(np.float32)), label


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("include")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(666)
    with open(args.include) as f:
        people = {line.split()[0] for line in f.read().split("\n")[1:] if line.strip()}
    dataset = Faces(args.data, people)
    sampler = samplers.MPerClassSampler(dataset.labels, m=3, batch_size=90, length_before_new_iter=90 * 1000)
    loader = torch.utils.data.DataLoader(dataset, batch_size=90, sampler=sampler, num_workers=args.workers,
                                         drop_last=True)
    model = scratch_model()
    model.train()
    model = model.to(memory_format=torch.channels_last)
    distance = distances.LpDistance(normalize_embeddings=True, p=2, power=2)
    miner = miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard", distance=distance)
    loss_fn = losses.TripletMarginLoss(margin=0.2, distance=distance)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, eps=0.1)

    total = args.warmup + args.steps
    timed_start = None
    start = time.perf_counter()
    for step, (x, y) in enumerate(loader):
        x = x.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            e = model(x)
        e = e.float()
        triplets = miner(e, y)
        loss = loss_fn(e, y, triplets)
        loss.backward()
        optimizer.step()
        now = time.perf_counter()
        print("  pytorch loop step %d: %.2f s, loss %.4f, %d triplets" % (step + 1, now - start, loss.item(),
                                                                         len(triplets[0])), flush=True)
        start = now
        if step + 1 == args.warmup:
            timed_start = now
        if step + 1 == total:
            break
    seconds = time.perf_counter() - timed_start
    print(json.dumps({"images_per_second": 90 * args.steps / seconds, "steps": args.steps,
                      "workers": args.workers, "images": len(dataset)}), flush=True)


if __name__ == "__main__":
    main()
