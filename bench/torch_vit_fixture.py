"""Writes the ViT parity fixture: a tiny timm-layout ViT in PyTorch, its weights, an input and its logits.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 bench/torch_vit_fixture.py
Writes src/test/resources/fixtures/vit/vit_tiny.pth (the state dict, under our keys, which are timm's)
and vit_tiny.io.pth ({"input", "logits"}); ViTTorchParityTest loads both and reproduces the logits.

The block is written by hand as timm's VisionTransformer: nn.MultiheadAttention keeps q, k and v in
another layout (in_proj_weight) and is not what timm's checkpoints hold.
"""
import argparse
import os

import torch
import torch.nn as nn

EMBED_DIM, DEPTH, HEADS, MLP_RATIO, PATCH, IMAGE, CHANNELS, CLASSES = 32, 2, 4, 2.0, 4, 12, 3, 5


class Attention(nn.Module):
    def __init__(self, dim, heads, qkv_bias=True):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)  # (B, H, N, d) each
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, cin, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(cin, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, N, C)


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        tokens = (IMAGE // PATCH) ** 2 + 1
        self.patch_embed = PatchEmbed(CHANNELS, EMBED_DIM, PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, EMBED_DIM))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, EMBED_DIM))
        self.blocks = nn.Sequential(*[Block(EMBED_DIM, HEADS, MLP_RATIO) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(EMBED_DIM, eps=1e-6)
        self.head = nn.Linear(EMBED_DIM, CLASSES)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="src/test/resources/fixtures/vit")
    args = ap.parse_args()
    torch.manual_seed(0)
    model = ViT().eval()
    with torch.no_grad():
        # every tensor random, biases and norm offsets too, so each path shows in the logits;
        # scales near 1 and spread-out embeddings keep LayerNorm well conditioned in float32
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif name in ("cls_token", "pos_embed"):
                p.copy_(0.5 * torch.randn_like(p))
            else:
                p.copy_(0.2 * torch.randn_like(p))
        x = torch.randn(2, CHANNELS, IMAGE, IMAGE)
        logits = model(x)
    os.makedirs(args.out, exist_ok=True)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(args.out, "vit_tiny.pth"))
    torch.save({"input": x, "logits": logits}, os.path.join(args.out, "vit_tiny.io.pth"))
    print("wrote", len(sd), "tensors,", sum(v.numel() for v in sd.values()), "values; logits", logits.shape)


if __name__ == "__main__":
    main()
