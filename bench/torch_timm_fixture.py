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

from timm_layout import ConvMixer, VisionTransformer, randomise_vit  # noqa: E402  (bench/ is the script's folder)


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
    randomise_vit(model, 0.05)
    with torch.no_grad():
        for p in model.parameters():  # rounded to float16, so the half-precision file is the same model
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
