"""Fixtures for ConvNeXtFixtureTest: tiny isotropic ConvNeXts in PyTorch with the original's module layout
(facebookresearch/ConvNeXt, models/convnext_isotropic.py: stem, blocks.{l}.{dwconv,norm,pwconv1,pwconv2,gamma},
norm, head), their weights, an input and the eval-mode logits.

    /usr/bin/python3 bench/torch_convnext_fixture.py [OUT_DIR]

needs Debian's python3-torch; writes, per case, NAME.pth (the state dict, as torch.save writes it),
NAME.io.pth ({"input", "logits"}) and cases.json, under src/test/resources/fixtures/convnext/ by default.
Weights are random but not the initialisation (biases, norm offsets and γ nonzero), so every tensor matters.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelsLastNorm(nn.Module):
    """LayerNorm over the last axis with eps 1e-6, keys weight and bias (the original's channels_last LayerNorm)."""

    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, 1e-6)


class Block(nn.Module):
    def __init__(self, dim, kernel, ratio, layer_scale):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, kernel, padding=kernel // 2, groups=dim)
        self.norm = ChannelsLastNorm(dim)
        self.pwconv1 = nn.Linear(dim, ratio * dim)
        self.pwconv2 = nn.Linear(ratio * dim, dim)
        self.gamma = nn.Parameter(layer_scale * torch.ones(dim)) if layer_scale > 0 else None

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)  # (B, C, H, W) -> (B, H, W, C)
        y = self.pwconv2(F.gelu(self.pwconv1(self.norm(y))))
        if self.gamma is not None:
            y = self.gamma * y
        return x + y.permute(0, 3, 1, 2)


class IsotropicConvNeXt(nn.Module):
    def __init__(self, in_chans, classes, depth, dim, patch, kernel=7, ratio=4, layer_scale=0.0):
        super().__init__()
        self.stem = nn.Conv2d(in_chans, dim, patch, stride=patch)
        self.blocks = nn.Sequential(*[Block(dim, kernel, ratio, layer_scale) for _ in range(depth)])
        self.norm = ChannelsLastNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(self.norm(x.mean([-2, -1])))


CASES = [
    dict(name="iso_16_3_ls", in_chans=3, classes=5, depth=3, dim=16, patch=2, kernel=7, ratio=4, layer_scale=0.5,
         img=12, batch=2),
    dict(name="iso_8_2_k5", in_chans=1, classes=4, depth=2, dim=8, patch=3, kernel=5, ratio=2, layer_scale=0.0,
         img=9, batch=3),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src", "test",
                                                              "resources", "fixtures", "convnext")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for c in CASES:
        model = IsotropicConvNeXt(c["in_chans"], c["classes"], c["depth"], c["dim"], c["patch"], c["kernel"],
                                  c["ratio"], c["layer_scale"]).eval()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name.endswith("norm.weight") or name.endswith("gamma"):
                    p.copy_(1 + 0.3 * torch.randn_like(p))
                else:
                    p.copy_(0.3 * torch.randn_like(p))
            x = torch.randn(c["batch"], c["in_chans"], c["img"], c["img"])
            logits = model(x)
        torch.save(model.state_dict(), os.path.join(out, c["name"] + ".pth"))
        torch.save({"input": x, "logits": logits}, os.path.join(out, c["name"] + ".io.pth"))
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(CASES, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
