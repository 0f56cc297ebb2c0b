"""Writes the ViT parity fixture: a tiny timm-layout ViT in PyTorch, its weights, an input and its logits.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 bench/torch_vit_fixture.py
Writes src/test/resources/fixtures/vit/vit_tiny.pth (the state dict, under our keys, which are timm's)
and vit_tiny.io.pth ({"input", "logits"}); ViTTorchParityTest loads both and reproduces the logits.

The modules are timm's layout, written by hand in timm_layout.py: nn.MultiheadAttention keeps q, k
and v in another layout (in_proj_weight) and is not what timm's checkpoints hold.
"""
import argparse
import os

import torch

from timm_layout import VisionTransformer, randomise_vit

EMBED_DIM, DEPTH, HEADS, MLP_RATIO, PATCH, IMAGE, CHANNELS, CLASSES = 32, 2, 4, 2.0, 4, 12, 3, 5


def vit():
    """The tiny ViT: timm's VisionTransformer at these sizes."""
    return VisionTransformer(image=IMAGE, patch=PATCH, dim=EMBED_DIM, depth=DEPTH, heads=HEADS,
                             hidden=int(EMBED_DIM * MLP_RATIO), classes=CLASSES, cin=CHANNELS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="src/test/resources/fixtures/vit")
    args = ap.parse_args()
    torch.manual_seed(0)
    model = vit().eval()
    randomise_vit(model, 0.2)
    with torch.no_grad():
        x = torch.randn(2, CHANNELS, IMAGE, IMAGE)
        logits = model(x)
    os.makedirs(args.out, exist_ok=True)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(args.out, "vit_tiny.pth"))
    torch.save({"input": x, "logits": logits}, os.path.join(args.out, "vit_tiny.io.pth"))
    print("wrote", len(sd), "tensors,", sum(v.numel() for v in sd.values()), "values; logits", logits.shape)


if __name__ == "__main__":
    main()
