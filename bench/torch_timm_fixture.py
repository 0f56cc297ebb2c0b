"""Writes the pretrained-import fixtures: PyTorch modules in timm's exact layouts, their weights, inputs and logits.

Run with Debian's interpreter (python3-torch; timm itself is not installed, so the modules are written here
by hand with timm's module names, which is all a state dict records):

    /usr/bin/python3 bench/torch_timm_fixture.py

Writes into src/test/resources/fixtures/timm/:
  deit_tiny_d2.pth          a bare state dict as timm saves it (pytorch_model.bin), DeiT-Ti widths (embed 192,
                            3 heads, MLP 768, patch 16, qkv bias, 224 px) at depth 2 and 10 classes, to keep it
                            at 4.3 MB (the full 12-layer, 1000-class DeiT-Ti is 22 MB)
  deit_tiny_d2.safetensors  the same weights as a hub safetensors file ({"format": "pt"} metadata), in float16:
                            every weight is rounded to a float16 value first, so both files hold the same model
  deit_tiny_d2.logits.pth   {"logits": (2, 10)} of the input wave(2, 3, 224, 224), which the test computes too
                            (storing 224-px inputs would add 1.2 MB)
  convmixer_32_3.pth        timm's ConvMixer layout (stem / blocks.N.0.fn / blocks.N.{1,3} / head), dim 32,
                            depth 3, kernel 5, patch 2, GELU, 10 classes, random BatchNorm running statistics
  convmixer_32_3.safetensors  the same in float32
  convmixer_32_3.io.pth     {"input": (2, 3, 16, 16), "logits": (2, 10)}, eval mode
TimmImportTest loads them into our ViT and ConvMixer (CONVMIXER.POINTWISE_RESIDUAL False) and compares logits.
"""
import argparse
import json
import os
import struct

import torch
import torch.nn as nn

# --- timm's VisionTransformer, as DeiT configures it (class token, no fc_norm, LayerNorm eps 1e-6) ---


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
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
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, cin, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(cin, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, N, C)


class VisionTransformer(nn.Module):
    def __init__(self, image=224, patch=16, dim=192, depth=2, heads=3, hidden=768, classes=10):
        super().__init__()
        self.patch_embed = PatchEmbed(3, dim, patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, (image // patch) ** 2 + 1, dim))
        self.blocks = nn.Sequential(*[Block(dim, heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])


# --- timm's ConvMixer: nn.Sequentials, so its keys are indices; no residual around the pointwise conv ---


class Residual(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x) + x


class ConvMixer(nn.Module):
    def __init__(self, dim=32, depth=3, kernel=5, patch=2, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dim, patch, stride=patch), nn.GELU(), nn.BatchNorm2d(dim))
        self.blocks = nn.Sequential(*[nn.Sequential(
            Residual(nn.Sequential(nn.Conv2d(dim, dim, kernel, groups=dim, padding="same"), nn.GELU(),
                                   nn.BatchNorm2d(dim))),
            nn.Conv2d(dim, dim, 1), nn.GELU(), nn.BatchNorm2d(dim)) for _ in range(depth)])
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(x.mean(dim=(2, 3)))  # timm's adaptive average pool, flattened


def wave(*shape):
    """sin(0.7 i) over the flat index i, in double precision then float32: the same values in Java."""
    n = 1
    for d in shape:
        n *= d
    return torch.sin(torch.arange(n, dtype=torch.float64) * 0.7).float().reshape(shape)


def write_safetensors(path, sd, dtype):
    """A safetensors file as the hub's writer lays it out: header JSON padded to 8 bytes, then the data."""
    names = {torch.float16: "F16", torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for k, v in sd.items():
        t = v.to(dtype) if v.is_floating_point() else v
        data = t.contiguous().numpy().tobytes()
        header[k] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def deit(out):
    torch.manual_seed(0)
    model = VisionTransformer().eval()
    with torch.no_grad():
        # every tensor random, biases and norm offsets too, so each path shows in the logits; scales
        # near 1 keep LayerNorm well conditioned; rounded to float16 so the half-precision file is the same model
        for name, p in model.named_parameters():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif name in ("cls_token", "pos_embed"):
                p.copy_(0.5 * torch.randn_like(p))
            else:
                p.copy_(0.05 * torch.randn_like(p))
            p.copy_(p.half().float())
        x = wave(2, 3, 224, 224)
        logits = model(x)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(out, "deit_tiny_d2.pth"))
    write_safetensors(os.path.join(out, "deit_tiny_d2.safetensors"), sd, torch.float16)
    torch.save({"logits": logits}, os.path.join(out, "deit_tiny_d2.logits.pth"))
    print("deit_tiny_d2:", len(sd), "tensors,", sum(v.numel() for v in sd.values()), "values; logits", logits.shape)


def convmixer(out):
    torch.manual_seed(1)
    model = ConvMixer()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):  # scales near 1 and the running statistics a trained model has
                m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
                m.running_mean.copy_(0.5 * torch.randn_like(m.running_mean))
                m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
                m.num_batches_tracked.fill_(1234)
            elif isinstance(m, (nn.Conv2d, nn.Linear)):
                m.weight.copy_(0.3 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
    model.eval()
    with torch.no_grad():
        x = torch.randn(2, 3, 16, 16)
        logits = model(x)
    sd = {k: v.contiguous() for k, v in model.state_dict().items()}
    torch.save(sd, os.path.join(out, "convmixer_32_3.pth"))
    write_safetensors(os.path.join(out, "convmixer_32_3.safetensors"), sd, torch.float32)
    torch.save({"input": x, "logits": logits}, os.path.join(out, "convmixer_32_3.io.pth"))
    print("convmixer_32_3:", len(sd), "tensors; keys", list(sd)[:4], "...; logits", logits.shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="src/test/resources/fixtures/timm")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    deit(args.out)
    convmixer(args.out)


if __name__ == "__main__":
    main()
