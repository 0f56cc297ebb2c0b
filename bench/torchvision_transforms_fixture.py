#!/usr/bin/python3
"""Fixtures for our image transforms, from torchvision 0.14 + Pillow 9.4 (Debian's python3-torchvision,
python3-pil): real photographs cropped to small tiles (saved as PNG, so Java reads the very pixels PIL
decoded), and what torchvision's resized_crop (RandomResizedCrop for a fixed box) and the evaluation
transform (Resize(int(256/224*S)) + CenterCrop(S)) make of them, bicubic and bilinear.

    /usr/bin/python3 bench/torchvision_transforms_fixture.py /usr/share/backgrounds OUT_DIR

The photographs come from Debian's lomiri-wallpapers-16.04."""
import json
import os
import sys

from PIL import Image
import torchvision.transforms as T
import torchvision.transforms.functional as F

src_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
# (photograph, tile box (left, top, right, bottom) at native resolution, mode)
TILES = [
    ("Bridge_by_Sander_Klootwijk.jpg", (2100, 1100, 2340, 1280), "RGB"),  # 240x180, landscape
    ("Dragonfly_by_Bolly.jpg", (1900, 1300, 2060, 1510), "RGB"),  # 160x210, portrait
    ("sunset_by_Aitzol_Berasategi.jpg", (1500, 1200, 1700, 1350), "L"),  # 200x150, gray
]
MODES = {"bicubic": T.InterpolationMode.BICUBIC, "bilinear": T.InterpolationMode.BILINEAR}
cases = []
for photo, box, mode in TILES:
    tile = Image.open(os.path.join(src_dir, photo)).convert("RGB").crop(box)
    if mode == "L":
        tile = tile.convert("L")
    name = os.path.splitext(photo)[0].split("_by_")[0].lower() + ".png"
    tile.save(os.path.join(out, name))
    w, h = tile.size
    boxes = [(0, 0, h, w), (10, 20, h // 2, w // 3), (h - 41, w - 33, 41, 33), (5, 7, 23, 17), (3, 1, h - 3, w - 1)]
    for interp in MODES:
        for (i, j, bh, bw) in boxes:
            for size in (32, 64):
                got = F.resized_crop(tile, i, j, bh, bw, [size, size], MODES[interp])
                f = f"{name[:-4]}_rrc_{interp}_{i}_{j}_{bh}_{bw}_{size}.png"
                got.save(os.path.join(out, f))
                cases.append({"source": name, "op": "resized_crop", "interpolation": interp,
                              "box": [i, j, bh, bw], "size": size, "expected": f})
        for crop in (64, 112):
            t = T.Compose([T.Resize(int(256 / 224 * crop), MODES[interp]), T.CenterCrop(crop)])
            f = f"{name[:-4]}_eval_{interp}_{crop}.png"
            t(tile).save(os.path.join(out, f))
            cases.append({"source": name, "op": "eval", "interpolation": interp, "crop": crop, "expected": f})
with open(os.path.join(out, "cases.json"), "w") as fh:
    json.dump({"generator": "torchvision 0.14.1 / Pillow 9.4.0 (Debian bookworm)", "cases": cases}, fh, indent=1)
print(len(cases), "cases")
