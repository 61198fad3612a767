"""QR codes for "scan to learn" posters: small SVG files made at build time."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, title: str) -> bytes:
    """A compact, deterministic SVG of the QR code for ``url`` (error correction M)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title,
              nl=True, svgclass="lifelong-qr", lineclass=None, dark="#000")
    return out.getvalue()
