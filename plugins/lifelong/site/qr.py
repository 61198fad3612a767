"""QR codes for "scan to learn": small SVG files for the online site, or the code's modules
packed into a few bytes that the page itself draws (the offline copy, where a file per entry
costs more than the code)."""

from __future__ import annotations

import base64
import io
import math

import segno

#: Every mask pattern decodes; letting segno score all eight to pick one costs 5x the time
#: of the whole code (6 ms against 1 ms), which is 8 minutes of CPU at 90,000 entries.
MASK = 4
#: Quiet zone around the code, in modules, in both forms.
BORDER = 2


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, mask=MASK)


def qr_svg(url: str, title: str) -> bytes:
    """A compact, deterministic SVG of the QR code for ``url`` (error correction M). It has
    a viewBox and no size of its own: pages give its size (132 px on screen, centimetres on
    a printed poster), and an SVG image without a viewBox does not scale."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=4, border=BORDER, xmldecl=False, svgns=True,
                    title=title, nl=True, svgclass="lifelong-qr", lineclass=None, dark="#000",
                    omitsize=True)
    return out.getvalue()


def qr_modules(url: str) -> str:
    """The QR code for ``url`` as base64 of its modules, row by row, one bit each (dark = 1),
    the last byte padded with zeros. A code is square, so its side is the largest n with
    n * n <= bits: lifelong.js draws it (about 140 characters against a 3 KB SVG)."""
    matrix = _code(url).matrix
    bits = "".join("".join("1" if module else "0" for module in row) for row in matrix)
    bits += "0" * (-len(bits) % 8)
    packed = int(bits, 2).to_bytes(len(bits) // 8, "big")
    return base64.b64encode(packed).decode("ascii")


def unpack_modules(data: str) -> list[list[int]]:
    """The rows of modules packed by ``qr_modules`` (what lifelong.js does, for tests)."""
    packed = base64.b64decode(data)
    side = math.isqrt(len(packed) * 8)
    bits = "".join(f"{byte:08b}" for byte in packed)
    return [[int(bit) for bit in bits[row * side:(row + 1) * side]] for row in range(side)]
