"""Draw annotator's icon: a page of text lines, one span on it marked in a label colour.

Writes static/favicon.svg (the <link rel="icon"> of base.html) and static/root/favicon.ico
(a 32x32 PNG inside an ICO, served at /favicon.ico for browsers that ask there), both from
the shapes below. Standard library only. Usage: python bin/favicon.py
"""

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = 32
INK, PAPER, LABEL = "#1d232b", "#ffffff", "#e69f00"  # app.css --ink, --paper, --label-1

# (x, y, width, height, colour) on a 32x32 grid, drawn in order.
SHAPES = [
    (0, 0, 32, 32, INK),
    (6, 7, 20, 3, PAPER),
    (6, 13, 6, 3, PAPER),
    (13, 12, 13, 5, LABEL),  # the annotated span, taller than the text around it
    (6, 19, 20, 3, PAPER),
    (6, 25, 12, 3, PAPER),
]


def svg() -> str:
    rects = "".join(
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"'
        + (' rx="6"' if (w, h) == (SIZE, SIZE) else "")
        + "/>"
        for x, y, w, h, c in SHAPES
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">{rects}</svg>\n'


def rgba(colour: str) -> bytes:
    return bytes.fromhex(colour[1:]) + b"\xff"


def png() -> bytes:
    pixels = [[b"\x00\x00\x00\x00"] * SIZE for _ in range(SIZE)]
    for x, y, w, h, colour in SHAPES:
        for row in range(y, y + h):
            for col in range(x, x + w):
                pixels[row][col] = rgba(colour)
    # Each scanline starts with filter type 0 (none).
    raw = b"".join(b"\x00" + b"".join(line) for line in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(image: bytes) -> bytes:
    # ICONDIR (reserved, type 1 = icon, one image), then its ICONDIRENTRY; PNG data inside
    # an ICO is allowed since Windows Vista and read by every current browser.
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


def main() -> None:
    (ROOT / "static" / "favicon.svg").write_text(svg())
    (ROOT / "static" / "root").mkdir(exist_ok=True)
    (ROOT / "static" / "root" / "favicon.ico").write_bytes(ico(png()))


if __name__ == "__main__":
    main()
