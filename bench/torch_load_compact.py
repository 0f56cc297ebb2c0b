"""The way back to PyTorch: a compact export of `spin fuse` loads with a strict `load_state_dict` into a
PyTorch ConvMixer with the reference's keys, and gives the logits we give.

    /usr/bin/python3 bench/torch_load_compact.py COMPACT.safetensors INPUT.safetensors LOGITS.safetensors

Reads safetensors with a few lines of its own (Debian has no python3-safetensors); with the
`safetensors` package, `safetensors.torch.load_file` does the same.
"""
import json
import struct
import sys

import torch

from torch_twin import SpinConvMixer

DTYPES = {"F32": torch.float32, "I64": torch.int64}


def load_file(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for key, e in header.items():
        a, b = e["data_offsets"]
        raw = bytearray(data[8 + n + a:8 + n + b])
        tensors[key] = torch.frombuffer(raw, dtype=DTYPES[e["dtype"]]).reshape(e["shape"]) if b > a else \
            torch.zeros(e["shape"], dtype=DTYPES[e["dtype"]])
    return tensors, meta


def main():
    compact, inp, want = sys.argv[1:4]
    state, meta = load_file(compact)
    cfg = json.loads(meta["config"])
    cm = cfg["CONVMIXER"]
    plan = [int(s) for s in meta["plan"].split(",")]
    model = SpinConvMixer(cm["CHANNEL"], cm["DEPTH"], cm["KERNEL"], cm["PATCH_KERNEL"], cfg["MODEL"]["NUM_CLASSES"], plan,
                          cin=cfg["DATA"]["INPUT_CHANNEL_NUM"][0])
    model.load_state_dict(state)  # strict: every key and shape must match
    model.eval()
    with torch.no_grad():
        got = model(load_file(inp)[0]["input"])
    expected = next(iter(load_file(want)[0].values()))
    print(f"loaded {compact} ({len(state)} tensors, plan {meta['plan']}) with a strict load_state_dict;"
          f" max |logit diff| vs {want}: {(got - expected).abs().max().item():.2e}")


if __name__ == "__main__":
    main()
