"""qr.js, the QR encoder pages draw their codes with: run by node (one process for the whole
module) and compared module for module with segno's code for the same text (byte mode,
UTF-8, level M, mask 4), and a few of its codes read back by a real decoder (zxing-cpp).

segno adds a zero codeword after the terminator when the data ends on a byte boundary, which
it always does in byte mode (heuer/segno#123 and #148, open; BoofCV rejects such codes).
qr.js pads as ISO/IEC 18004 7.4.10 says, so segno is compared with that one line corrected."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import segno
import segno.encoder
import zxingcpp
from segno import consts

from sitekit import REPO

QR_JS = REPO / "plugins/lifelong/theme/assets/lifelong/qr.js"
NODE = shutil.which("node") or "/usr/bin/node"

#: Reads texts (JSON) on stdin; prints each one's rows of modules, or its error's message.
HARNESS = """
const qr = require(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(texts.map((text) => {
  try { return qr.matrix(text); } catch (error) { return String(error.message); }
})));
"""

#: Byte-mode capacity at level M (ISO/IEC 18004 table 7) of the versions whose limits the
#: encoder must get right: 8-bit counts up to version 9, 16-bit from 10; version 7 is the
#: first with version information; 26 and 27 have many blocks of two lengths; 40 is the
#: largest.
CAPACITY = {1: 14, 6: 106, 7: 122, 9: 180, 10: 213, 26: 1059, 27: 1125, 40: 2331}

URLS = ["https://lifelong.example.org/a000001/",
        "https://lifelong.example.org/courses/taiji-basics-for-beginners/?from=poster#top",
        "https://example.org/" + "long-path/" * 30]
CHINESE = "终身学习"
TEXTS = [*URLS, "a000001/", "../entries/taiji-basics/index.html", CHINESE,
         "太极拳入门：每周二、四上午九点，社区活动中心三楼。" * 3, "é"]
#: The largest text of every version (from segno's table of data bits: all block structures,
#: alignment positions and version information), and one byte more for those above.
LARGEST = [(consts.SYMBOL_CAPACITY[v][consts.ERROR_LEVEL_M] - 4 - (8 if v < 10 else 16)) // 8
           for v in range(1, 41)]
EDGES = ["x" * n for n in LARGEST] + ["x" * (CAPACITY[v] + 1) for v in CAPACITY if v < 40]
#: Exactly version 7's capacity in three-byte characters less two ASCII letters.
EDGES.append("学" * 40 + "ab")
TOO_LONG = "x" * (CAPACITY[40] + 1)


def _id(text: str) -> str:
    size = len(text.encode())
    return text if size <= 40 else f"{text[:12]}...{size}B"


@pytest.fixture(scope="module")
def js_codes() -> dict[str, list[list[int]] | str]:
    texts = [*TEXTS, *EDGES, TOO_LONG]
    result = subprocess.run([NODE, "-e", HARNESS, str(QR_JS)], input=json.dumps(texts),
                            capture_output=True, text=True, encoding="utf-8", timeout=60,
                            check=True)
    return dict(zip(texts, json.loads(result.stdout), strict=True))


@pytest.fixture
def standard_padding(monkeypatch: pytest.MonkeyPatch) -> None:
    """segno with its byte-boundary padding as the standard says (the fix proposed in #148)."""
    def write_padding_bits(buff: segno.encoder.Buffer, version: int, length: int) -> None:
        buff.extend([0] * (-length % 8))

    monkeypatch.setattr(segno.encoder, "write_padding_bits", write_padding_bits)


def segno_matrix(text: str, **options: str) -> list[list[int]]:
    code = segno.make(text, error="m", micro=False, mask=4, boost_error=False, **options)
    assert code.error == "M"
    return [list(row) for row in code.matrix]  # segno's matrix has no quiet zone


@pytest.mark.usefixtures("standard_padding")
@pytest.mark.parametrize("text", TEXTS + EDGES, ids=_id)
def test_same_modules_as_segno(js_codes: dict[str, list[list[int]] | str], text: str) -> None:
    assert js_codes[text] == segno_matrix(text, mode="byte", encoding="utf-8")


@pytest.mark.usefixtures("standard_padding")
def test_urls_are_what_segno_makes_by_default(
        js_codes: dict[str, list[list[int]] | str]) -> None:
    for url in URLS:
        assert js_codes[url] == segno_matrix(url)


def test_smallest_version_that_holds_the_text(
        js_codes: dict[str, list[list[int]] | str]) -> None:
    assert [LARGEST[v - 1] for v in CAPACITY] == list(CAPACITY.values())
    for version, capacity in CAPACITY.items():
        assert len(js_codes["x" * capacity]) == 17 + 4 * version
        if version < 40:
            assert len(js_codes["x" * (capacity + 1)]) == 17 + 4 * (version + 1)
    assert len(js_codes["学" * 40 + "ab"]) == 17 + 4 * 7


def test_too_long_for_version_40(js_codes: dict[str, list[list[int]] | str]) -> None:
    assert js_codes[TOO_LONG] == ("QR code: text of 2332 bytes is too long "
                                  "(at most 2331 bytes fit in version 40 at level M)")


def _image(matrix: list[list[int]], border: int = 4, scale: int = 4) -> memoryview:
    """Grey pixels (0 dark, 255 light) of ``matrix`` in a quiet zone, for zxing-cpp."""
    side = len(matrix) + 2 * border
    blank = [0] * side
    pixels = bytearray()
    for row in [blank] * border + [[0] * border + r + [0] * border for r in matrix] \
            + [blank] * border:
        pixels += bytes(0 if dark else 255 for dark in row for _ in range(scale)) * scale
    return memoryview(bytes(pixels)).cast("B", (side * scale, side * scale))


@pytest.mark.parametrize("text", [URLS[1], CHINESE, "x" * CAPACITY[40]], ids=_id)
def test_a_decoder_reads_the_text(js_codes: dict[str, list[list[int]] | str], text: str) -> None:
    matrix = js_codes[text]
    assert isinstance(matrix, list)
    found = zxingcpp.read_barcode(_image(matrix), formats=zxingcpp.BarcodeFormat.QRCode,
                                  is_pure=True)
    assert found is not None
    assert found.text == text
    assert found.symbology_identifier == "]Q1"  # model 2, no ECI
