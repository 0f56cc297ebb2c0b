#!/usr/bin/python3
"""torchvision's DataLoader over an ImageNet-layout folder with the training pipeline we have so far
(RandomResizedCrop(SIZE, bicubic), flip, ToTensor, Normalize, RandomErasing(0.25, pixel mode as
timm: value='random'); with --randaugment also RandAugment(2, 9)) and timm-style Mixup/CutMix left out
(a batch-level op on the trainer's side in both): img/s after warm-up.

    /usr/bin/python3 bench/torchvision_data.py DIR --workers 2 --batches 60 --warmup 10 [--size 224]"""
import argparse
import time

import torch
import torchvision.datasets as D
import torchvision.transforms as T

p = argparse.ArgumentParser()
p.add_argument("dir")
p.add_argument("--workers", type=int, default=2)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--batches", type=int, default=60)
p.add_argument("--warmup", type=int, default=10)
p.add_argument("--size", type=int, default=224)
p.add_argument("--randaugment", action="store_true")
a = p.parse_args()
torch.set_num_threads(1)  # each worker decodes on one thread, as ours
ops = [T.RandomResizedCrop(a.size, interpolation=T.InterpolationMode.BICUBIC), T.RandomHorizontalFlip()]
if a.randaugment:
    ops.append(T.RandAugment(2, 9, interpolation=T.InterpolationMode.BICUBIC))
ops += [T.ToTensor(), T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)), T.RandomErasing(0.25, value="random")]
data = D.ImageFolder(a.dir + "/train", T.Compose(ops))
loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=a.workers, drop_last=True,
                                     persistent_workers=a.workers > 0)
n = 0
images = 0
t0 = None
while n < a.batches:
    for x, y in loader:
        n += 1
        if n == a.warmup:
            t0 = time.perf_counter()
        elif n > a.warmup:
            images += x.shape[0]
        if n >= a.batches:
            break
secs = time.perf_counter() - t0
print(f"torchvision {__import__('torchvision').__version__}: {images / secs:.1f} img/s over {images} images"
      f" ({a.workers} worker(s))")
