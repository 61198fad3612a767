"""The long fuzz run: the properties of tests/test_fuzz.py with many more examples.

The test suite runs each property with a few dozen examples (it runs on every commit); this
runs them with ``--examples`` each (default 5,000; the build property with a twentieth of
that, each example a build of twelve entries) and prints, per property, the examples run and
the time taken against the suite's own run of the same properties (the baseline).

    .venv/bin/python bench/fuzz.py                   # about 10 minutes on 2 cores
    .venv/bin/python bench/fuzz.py --examples 500    # a quick look
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(examples: int | None) -> tuple[float, dict[str, str], int]:
    env = dict(os.environ)
    if examples:
        env["LIFELONG_FUZZ_EXAMPLES"] = str(examples)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
         "--durations=0", "--hypothesis-show-statistics", "tests/test_fuzz.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    durations = {m.group(2): m.group(1) for m in
                 re.finditer(r"^([\d.]+)s call\s+tests/test_fuzz.py::(\w+)", done.stdout, re.M)}
    if done.returncode:
        print(done.stdout[-6000:], done.stderr[-2000:], sep="\n")
    return took, durations, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()
    base_took, base, base_code = run(None)
    took, long, code = run(args.examples)
    print(f"{'property':<58} {'suite (s)':>10} {'long (s)':>10} {'ratio':>7}")
    for name in sorted(long):
        a, b = float(base.get(name, "nan")), float(long[name])
        print(f"{name:<58} {a:>10.2f} {b:>10.2f} {b / a if a else float('nan'):>7.1f}")
    print(f"{'total':<58} {base_took:>10.1f} {took:>10.1f} {took / base_took:>7.1f}")
    print(f"examples per property: suite default, long run {args.examples:,} "
          f"({args.examples // 20:,} builds)")
    print("result: " + ("no failure" if code == 0 and base_code == 0 else "FAILURES (above)"))
    sys.exit(code or base_code)


if __name__ == "__main__":
    main()
