"""The crash soak's quick mode: after a SIGKILL mid-run no answer is lost, no alert doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_quick_soak_with_one_kill_keeps_every_invariant(tmp_path: Path) -> None:
    counts = tmp_path / "counts.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--quick", "--kills", "1",
         "--workdir", str(tmp_path / "run"), "--json", str(counts)],
        capture_output=True, text=True, timeout=600, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(counts.read_text(encoding="utf-8"))
    assert found["finished"] == found["users"] == 30 and found["kills"] == 1
    assert found["corrupted"] == found["answers_lost"] == found["alerts_twice"] == []
    assert found["alerts_delivered"] > 0 and found["requests"] == found["approved"] > 0
