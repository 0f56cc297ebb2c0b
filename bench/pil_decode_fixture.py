#!/usr/bin/python3
"""Fixtures for reading image files as torchvision's loader does (Image.open(f).convert("RGB")), from
Pillow 9.4: a gray JPEG, an RGBA PNG, a gray+alpha PNG, a palette PNG, a CMYK JPEG, a YCCK JPEG and a JPEG with an EXIF rotation,
made from the bridge tile; each with what convert("RGB") gives.

    /usr/bin/python3 bench/pil_decode_fixture.py src/test/resources/fixtures/transforms"""
import json
import os
import sys

from PIL import Image

d = sys.argv[1]
tile = Image.open(os.path.join(d, "bridge.png")).convert("RGB").crop((0, 0, 96, 64))
cases = []


def case(img, name, **save):
    img.save(os.path.join(d, name), **save)
    expected = "decode_" + name.replace(".", "_") + ".png"
    Image.open(os.path.join(d, name)).convert("RGB").save(os.path.join(d, expected))
    cases.append({"file": name, "expected": expected})


case(tile.convert("L"), "gray.jpg", quality=90)
rgba = tile.copy()
rgba.putalpha(Image.linear_gradient("L").resize(tile.size))
case(rgba, "rgba.png")
case(tile.convert("L").convert("LA"), "gray_alpha.png")
case(tile.convert("P", palette=Image.ADAPTIVE, colors=32), "palette.png")
c, m, y = tile.convert("CMYK").split()[:3]
k = Image.linear_gradient("L").resize(tile.size)  # black ink from none to full, down the tile
case(Image.merge("CMYK", (c, m, y, k)), "cmyk.jpg", quality=90)  # Pillow writes Adobe's inverted CMYK
# A YCCK JPEG (Adobe transform 2, as Photoshop writes CMYK): Pillow only writes transform 0, so the
# samples are stored as YCbCr + K through Pillow's CMYK writer (which stores 255 - value) and the
# marker's transform byte is then set to 2; libjpeg reads it back as YCCK.
ycc = tile.convert("YCbCr").split()
stored = [Image.eval(ch, lambda v: 255 - v) for ch in (*ycc, k)]
name = "ycck.jpg"
Image.merge("CMYK", stored).save(os.path.join(d, name), quality=90)
with open(os.path.join(d, name), "r+b") as fh:
    data = fh.read()
    at = data.index(b"Adobe") + 11  # the APP14 body: "Adobe", version, flags0, flags1, transform
    assert data[at] == 0, "expected Pillow's Adobe transform 0"
    fh.seek(at)
    fh.write(b"\x02")
expected = "decode_ycck_jpg.png"
Image.open(os.path.join(d, name)).convert("RGB").save(os.path.join(d, expected))
cases.append({"file": name, "expected": expected})
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90° clockwise to view; convert("RGB") does not apply it
case(tile, "exif_rotated.jpg", quality=90, exif=exif)
with open(os.path.join(d, "decode.json"), "w") as fh:
    json.dump({"generator": "Pillow 9.4.0 (Debian bookworm)", "cases": cases}, fh, indent=1)
print(len(cases), "cases")
