"""The `lifelong` command: one module per command, registered here with add_command.

Input: the command line. Output: what each command does, through the other rooms; errors
become ``click.ClickException`` (``Error: ...``, exit 1), never a traceback. May import every
room; no other room imports this one.
"""

from __future__ import annotations

import logging
import os
import sys

import click

from lifelong.cli import build, bundle, check, codes, export, import_, init, new, qr, sample, serve
from lifelong.cli.options import CONTEXT


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="lifelong")
def main() -> None:
    """Lifelong: build the lifelong-learning catalogue into a static site.

    \b
    Example:
      lifelong check            # validate every entry
      lifelong new course --title 太极拳入门
      lifelong build --strict   # build the site into site/
    """


# Each module holds the command of its name; the package's names stay the modules.
for module in (check, new, codes, init, build, serve, sample, bundle, export, import_, qr):
    main.add_command(getattr(module, module.__name__.rpartition(".")[2]))


def run() -> None:
    """The console script: ``main``, then exit at once. A full-scale build leaves millions of
    objects that the interpreter would free one by one on the way out (seconds, for memory
    the system takes back anyway); every file is written and closed by then."""
    try:
        main()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
