"""Benchmark the nearby-donor search against a full scan, at 100k and 1M donors across India.

The query: "B+ red cells, eligible, within 25 km, nearest 200", near a small city (Prayagraj)
and a dense one (New Delhi). Run from the repository root: `python -m bench.matching`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bench.hospitals import NEW_DELHI, PRAYAGRAJ, file_request
from bench.population import DATA, POPULATION_NOW, QUICK_DONORS, donor_database
from bench.timing import Target, machine, median_seconds, table, verdict
from storage.db import make_engine, upgrade_schema
from storage.match_criteria import Match
from storage.matching import find_matches
from storage.matching_scan import naive_scan

RADIUS_KM, LIMIT = 25.0, 200
ZONE = ZoneInfo("Asia/Kolkata")
SIZES, QUICK_SIZES = (100_000, 1_000_000), (QUICK_DONORS, 5 * QUICK_DONORS)
MIN_SPEED_UP = 300.0  # issue 7: at 1M at least 300× faster than the scan
MAX_GROWTH = 2.0  # issue 7: 1M no slower than 2× the 100k figure


@dataclass(frozen=True)
class Row:
    """One size and city: both timings and whether they agreed."""

    donors: int
    city: str
    found: int
    query_s: float
    scan_s: float
    scan_runs: int
    identical: bool


def measure(path: Path, donors: int, *, runs: int, scan_runs: int) -> list[Row]:
    """Time both searches near each hospital, in a transaction that is rolled back."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    rows = []
    with Session(engine) as session:
        for hospital in (PRAYAGRAJ, NEW_DELHI):
            code = file_request(session, hospital, now=POPULATION_NOW).code
            query_s, fast = timed(session, find_matches, code, runs=runs, warmups=2)
            scan_s, slow = timed(session, naive_scan, code, runs=scan_runs,
                                 warmups=0 if scan_runs == 1 else 1)
            rows.append(Row(donors, hospital.city, len(fast), query_s, scan_s, scan_runs,
                            fast == slow))
        session.rollback()
    engine.dispose()
    return rows


def timed(session: Session, search: Callable[..., list[Match]], code: str, *, runs: int,
          warmups: int) -> tuple[float, list[Match]]:
    """Return the median time of one search for request `code`, and what it found."""
    found: list[list[Match]] = []

    def run() -> None:
        session.expunge_all()  # every run reads the rows afresh, as a wave would
        found.append(search(session, request_code=code, radius_km=RADIUS_KM, limit=LIMIT,
                            now=POPULATION_NOW, tz=ZONE))

    return median_seconds(run, runs=runs, warmups=warmups), found[-1]


def targets(rows: Sequence[Row]) -> list[Target]:
    """Judge the largest size against the scan and against the smallest size."""
    small, large = min(row.donors for row in rows), max(row.donors for row in rows)
    found = []
    for city in dict.fromkeys(row.city for row in rows):
        first = next(r for r in rows if r.city == city and r.donors == small)
        last = next(r for r in rows if r.city == city and r.donors == large)
        speed_up, growth = last.scan_s / last.query_s, last.query_s / first.query_s
        found += [
            Target(f"{city}, {large:,}: ≥ {MIN_SPEED_UP:.0f}× faster than the scan",
                   f"{speed_up:,.0f}×", speed_up >= MIN_SPEED_UP),
            Target(f"{city}, {large:,}: ≤ {MAX_GROWTH:.0f}× the {small:,} time",
                   f"{growth:.2f}×", growth <= MAX_GROWTH),
        ]
    found.append(Target("identical results (person ids and order)",
                        f"{sum(r.identical for r in rows)} of {len(rows)}",
                        all(r.identical for r in rows)))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the populations, time both searches, print the table and targets."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    sizes = QUICK_SIZES if args.quick else SIZES
    runs, scan_runs = (3, 1) if args.quick else (args.runs, args.scan_runs)
    rows: list[Row] = []
    for donors in sizes:
        path = donor_database(donors, seed=args.seed, directory=args.data)
        rows += measure(path, donors, runs=runs,
                        scan_runs=1 if donors >= 1_000_000 else scan_runs)
    print(f"B+ red cells, eligible, within {RADIUS_KM:.0f} km, nearest {LIMIT}: median of "
          f"{runs} runs after 2 warm-ups (the scan: runs as shown, 1 warm-up if >1); "
          f"{machine()}")
    print(table(["donors", "near", "found", "query ms", "scan ms", "scan runs", "speed-up",
                 "identical"],
                [(f"{r.donors:,}", r.city, r.found, f"{r.query_s * 1000:.1f}",
                  f"{r.scan_s * 1000:,.0f}", r.scan_runs, f"{r.scan_s / r.query_s:,.0f}×",
                  "yes" if r.identical else "NO") for r in rows]))
    status = verdict(targets(rows), quick=args.quick)
    return status if all(r.identical for r in rows) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run on {QUICK_SIZES[0]:,} and {QUICK_SIZES[1]:,} donors, "
                             "3 runs, one scan")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of the query")
    parser.add_argument("--scan-runs", type=int, default=3,
                        help="timed runs of the scan below 1M donors (at 1M: one)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=DATA,
                        help="where the donor databases are kept")
    return parser


if __name__ == "__main__":
    sys.exit(main())
