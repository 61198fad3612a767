"""Pieces the benchmarks share: their printed tables, a process's peak memory."""

from __future__ import annotations

import re
from pathlib import Path


def peak_rss(pid: int | str = "self") -> int | None:
    """A process's peak RSS in bytes: its VmHWM, which an exec starts afresh (getrusage's
    maxrss keeps that of the process it was forked from); None where /proc cannot say."""
    try:
        found = re.search(r"^VmHWM:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" else 1 for c in text)


def render_table(headers: list[str], rows: list[list[str]], align: str) -> str:
    """A Markdown table; align has one letter per column, l or r."""
    widths = [max(width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - width(str(cell)))
            parts.append(str(cell) + pad if align[i] == "l" else pad + str(cell))
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
