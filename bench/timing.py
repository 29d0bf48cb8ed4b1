"""Time runs (median after a warm-up), print tables, and judge the issue's targets."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass


def median_seconds(run: Callable[[], object], *, runs: int, warmups: int = 1) -> float:
    """Return the median wall time of `runs` calls of `run`, after `warmups` untimed ones."""
    for _ in range(warmups):
        run()
    times = []
    for _ in range(max(runs, 1)):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def median_of(run: Callable[[], Awaitable[float]], *, runs: int,
                    warmups: int = 1) -> float:
    """Return the median of what `runs` awaited calls of `run` measure, after `warmups`."""
    for _ in range(warmups):
        await run()
    return statistics.median([await run() for _ in range(max(runs, 1))])


def machine() -> str:
    """Describe the machine's load now: benchmarks on a busy machine read slower."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render rows as a plain-text table, numbers right-aligned."""
    cells = [[str(value) for value in row] for row in rows]
    widths = [max(len(header), *(len(row[i]) for row in cells))
              for i, header in enumerate(headers)]

    def line(values: Sequence[str], numeric: Sequence[bool]) -> str:
        return "  ".join(value.rjust(width) if right else value.ljust(width)
                         for value, width, right in zip(values, widths, numeric, strict=True))

    numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(headers))]
    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers, numeric), rule, *(line(row, numeric) for row in cells)])


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("×%").replace(",", ""))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Target:
    """One target of the issue, what was measured against it, and whether it was met."""

    name: str
    measured: str
    met: bool


def verdict(targets: Sequence[Target], *, quick: bool) -> int:
    """Print each target's result; return the exit status (1 if a target was missed).

    A quick run is a smoke test on a small population: it shows the figures but judges
    nothing, as the targets are stated for the full sizes.
    """
    print()
    print(table(["target", "measured", "met"],
                [(t.name, t.measured, "n/a (quick)" if quick else "yes" if t.met else "NO")
                 for t in targets]))
    missed = [t.name for t in targets if not t.met]
    if missed and not quick:
        print("missed: " + "; ".join(missed))
        return 1
    return 0
