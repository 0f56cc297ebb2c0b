#!/usr/bin/python3
"""Fixtures for our RandAugment ops (org.spin.data.PilOps), from Pillow 9.4 (Debian's python3-pil): each op
as timm's auto_augment (and SlowFast's copy of it) calls it, at fixed arguments, on the photo tiles that
bench/torchvision_transforms_fixture.py saved (PNG, so Java reads the very pixels).

    /usr/bin/python3 bench/pil_randaugment_fixture.py src/test/resources/fixtures/transforms"""
import json
import os
import sys

from PIL import Image, ImageEnhance, ImageOps

d = sys.argv[1]
FILL = (124, 116, 104)  # timm's img_mean for ImageNet's mean
cases = []


def save(img, name, op, args, src):
    img.save(os.path.join(d, name))
    cases.append({"source": src, "op": op, "args": args, "expected": name})


for src in ("bridge.png", "dragonfly.png", "sunset.png"):
    img = Image.open(os.path.join(d, src))
    img.load()
    fill = FILL if img.mode == "RGB" else FILL[0]
    stem = "ra_" + src[:-4]
    save(ImageOps.autocontrast(img), f"{stem}_autocontrast.png", "autocontrast", [], src)
    save(ImageOps.equalize(img), f"{stem}_equalize.png", "equalize", [], src)
    save(ImageOps.invert(img), f"{stem}_invert.png", "invert", [], src)
    for bits in (1, 4):
        save(ImageOps.posterize(img, bits), f"{stem}_posterize{bits}.png", "posterize", [bits], src)
    for t in (128, 200):
        save(ImageOps.solarize(img, t), f"{stem}_solarize{t}.png", "solarize", [t], src)
    lut = [min(255, i + 55) if i < 128 else i for i in range(256)]
    save(img.point(lut * (3 if img.mode == "RGB" else 1)), f"{stem}_solarizeadd55.png", "solarize_add", [55], src)
    for f in (0.3, 1.0, 1.7):
        for name, enh in (("color", ImageEnhance.Color), ("contrast", ImageEnhance.Contrast),
                          ("brightness", ImageEnhance.Brightness), ("sharpness", ImageEnhance.Sharpness)):
            save(enh(img).enhance(f), f"{stem}_{name}{f}.png", name, [f], src)
    for interp, r in (("bicubic", Image.BICUBIC), ("bilinear", Image.BILINEAR)):
        for deg in (17.3, -24.0):
            save(img.rotate(deg, resample=r, fillcolor=fill), f"{stem}_rotate{deg}_{interp}.png", "rotate",
                 [deg, interp], src)
        for name, m in (("shear_x", (1, 0.27, 0, 0, 1, 0)), ("shear_y", (1, 0, 0, -0.21, 1, 0)),
                        ("translate_x", (1, 0, 0.3 * img.size[0], 0, 1, 0)),
                        ("translate_y", (1, 0, 0, 0, 1, -0.35 * img.size[1]))):
            save(img.transform(img.size, Image.AFFINE, m, resample=r, fillcolor=fill), f"{stem}_{name}_{interp}.png",
                 "affine", list(m) + [interp], src)
with open(os.path.join(d, "randaugment.json"), "w") as fh:
    json.dump({"generator": "Pillow 9.4.0 (Debian bookworm)", "fill": FILL, "cases": cases}, fh, indent=1)
print(len(cases), "cases")
