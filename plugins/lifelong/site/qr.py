"""QR codes as SVG files, for designers of printed posters and leaflets (`lifelong qr`). The
site's pages carry only the address and draw the code themselves (theme/assets/lifelong/qr.js
encodes it the same way: byte mode, error correction M, mask 4)."""

from __future__ import annotations

import io

import segno

#: Every mask pattern decodes; letting segno score all eight to pick one costs 5x the time
#: of the whole code (6 ms against 1 ms), which is 8 minutes of CPU at 90,000 entries.
MASK = 4
#: Quiet zone around the code, in modules (as the pages draw it).
BORDER = 2


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, mask=MASK, boost_error=False)


def qr_svg(url: str, title: str) -> bytes:
    """A compact, deterministic SVG of the QR code for ``url`` (error correction M). It has
    a viewBox and no size of its own: pages give its size (132 px on screen, centimetres on
    a printed poster), and an SVG image without a viewBox does not scale."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=4, border=BORDER, xmldecl=False, svgns=True,
                    title=title, nl=True, svgclass="lifelong-qr", lineclass=None, dark="#000",
                    omitsize=True)
    return out.getvalue()
