"""PyTorch eager twin of `spin bench`: the same SPIN ConvMixer, recipe and shapes, timed the same way.

Run with Debian's interpreter: /usr/bin/python3 bench/torch_twin.py [--share-rate 2] [--steps 60]
(needs python3-torch and libopenblas0). Prints the median training-step time and img/s.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from timm_layout import VisionTransformer


class PatchEmbed(nn.Module):
    def __init__(self, cin, dim, patch):
        super().__init__()
        self.conv = nn.Conv2d(cin, dim, patch, stride=patch)
        self.bn = nn.BatchNorm2d(dim)

    def forward(self, x):
        return self.bn(F.gelu(self.conv(x)))


class Block(nn.Module):
    def __init__(self, dim, kernel):
        super().__init__()
        self.dwise_blk = nn.Sequential(nn.Conv2d(dim, dim, kernel, groups=dim, padding=kernel // 2), nn.GELU(),
                                       nn.BatchNorm2d(dim))
        self.bn2 = nn.BatchNorm2d(dim)

    def forward(self, x, w, b):
        x = x + self.dwise_blk(x)
        return x + self.bn2(F.gelu(F.conv2d(x, w, b)))


class Head(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        self.fc = nn.Linear(dim, classes)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class SpinConvMixer(nn.Module):
    """The shared ConvMixer with the reference's state-dict keys (pwise_w.{s}, patch_embed.*, blocks.{i}.*, head.fc.*)."""

    def __init__(self, dim, depth, kernel, patch, classes, plan, cin=3, reduction=None):
        super().__init__()
        slots = max(plan) + 1
        self.plan = plan
        self.reduction = reduction
        # a fusion model keeps one source per layer and fuses each slot's group (the layers the plan maps to it)
        sources = depth if reduction else slots
        self.groups = [[l for l in range(depth) if plan[l] == s] for s in range(slots)]
        self.pwise_w = nn.ParameterList([nn.Parameter(torch.empty(dim, dim, 1, 1)) for _ in range(sources)])
        self.pwise_b = nn.ParameterList([nn.Parameter(torch.zeros(dim)) for _ in range(sources)])
        if reduction in ("scalar_weighted_mean", "channel_weighted_mean"):
            n = 1 if reduction == "scalar_weighted_mean" else dim
            self.reduction_w = nn.ParameterList([nn.Parameter(torch.ones(n)) for _ in range(depth)])
        if reduction == "choose_first":
            for g in self.groups:
                for l in g[1:]:
                    self.pwise_w[l].requires_grad_(False)
                    self.pwise_b[l].requires_grad_(False)
        self.patch_embed = PatchEmbed(cin, dim, patch)
        self.blocks = nn.ModuleList([Block(dim, kernel) for _ in range(depth)])
        self.head = Head(dim, classes)
        for w in self.pwise_w:
            nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")

    def slot_weights(self):
        if not self.reduction:
            return list(self.pwise_w), list(self.pwise_b)
        ws, bs = [], []
        for g in self.groups:
            if self.reduction == "choose_first":
                ws.append(self.pwise_w[g[0]])
                bs.append(self.pwise_b[g[0]])
                continue
            if self.reduction == "mean":
                ws.append(torch.stack([self.pwise_w[l] for l in g]).mean(0))
            else:
                ws.append(torch.stack([self.reduction_w[l].view(-1, 1, 1, 1) * self.pwise_w[l] for l in g]).mean(0))
            bs.append(torch.stack([self.pwise_b[l] for l in g]).mean(0))
        return ws, bs

    def forward(self, x):
        w, b = self.slot_weights()  # once per forward pass
        x = self.patch_embed(x)
        for i, s in enumerate(self.plan):
            x = self.blocks[i](x, w[s], b[s])
        return self.head(x)


def shared_deit_tiny(share_rate):
    """DeiT-Ti (timm's layout) whose block weights are shared by share_rate consecutive layers."""
    model = VisionTransformer(depth=12, classes=1000)
    model.blocks = nn.Sequential(*[model.blocks[i // share_rate] for i in range(12)])
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--share-rate", type=int, default=1)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mode", choices=["train", "infer"], default="train")
    ap.add_argument("--arch", choices=["convmixer", "deit_tiny"], default="convmixer",
                    help="deit_tiny: DeiT-Ti at 224 px, inference only")
    ap.add_argument("--reduction", choices=["mean", "choose_first", "scalar_weighted_mean", "channel_weighted_mean"],
                    default=None, help="weight fusion: one source per layer, fused once per forward")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    depth = 8
    plan = [i // a.share_rate for i in range(depth)]
    if a.arch == "deit_tiny":
        model = shared_deit_tiny(a.share_rate)
        x = torch.randn(a.batch, 3, 224, 224)
    else:
        model = SpinConvMixer(256, depth, 9, 4, 10, plan, reduction=a.reduction)
        x = torch.randn(a.batch, 3, 32, 32)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3, weight_decay=2e-5)
    y = torch.randint(0, 10, (a.batch,))
    times = []
    if a.mode == "infer":
        model.eval()
    for s in range(a.steps):
        t0 = time.perf_counter()
        if a.mode == "train":
            loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
            opt.zero_grad(set_to_none=False)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        else:
            with torch.no_grad():
                model(x).numpy()
        t1 = time.perf_counter()
        if s >= a.warmup:
            times.append((t1 - t0) * 1000)
    m = statistics.median(times)
    print(f"{a.mode} step: median {m:.1f} ms over {len(times)} steps, {a.batch * 1000 / m:.1f} img/s "
          f"(torch {torch.__version__}, {torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
