"""Each benchmark runs end to end in its quick form and prints its tables; no timing is judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import broadcast, matching, memory, turns


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory of quick populations, built once for every benchmark here."""
    return tmp_path_factory.mktemp("bench-data")


def test_matching_compares_the_query_with_the_scan_near_both_cities(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert matching.main(["--quick", "--data", str(data)]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    cities = [row for row in rows if row[1:2] in (["Prayagraj"], ["New"])]
    assert len(cities) == 4  # two sizes × two cities
    assert all(row[-1] == "yes" for row in cities)  # identical results


def test_turns_measures_the_bot_beside_bare_python_telegram_bot(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert turns.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "bare python-telegram-bot, reply only" in out
    assert "bloodbot: engine, state, de-dup, outbox, commit" in out
    assert "bot ≥ 10% of bare" in out


def test_broadcast_sends_every_alert_and_times_an_approval(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert broadcast.main(["--quick", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    sent = out.splitlines()[3].split()
    assert sent[0] == "60"  # every queued alert reached the fake Bot API
    assert "approval → first alert, median < 1 s" in out


def test_memory_reports_the_peak_of_a_running_bot(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert memory.main(["--quick", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "after the turns and broadcasts" in out
    assert "peak RSS < 150 MB with 1,000 donors" in out
