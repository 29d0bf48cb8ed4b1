"""Print the crash soak's counts and decide which invariants failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.soak_chat import Traffic
from bench.soak_checks import Findings
from bench.soak_people import Approvals

SHOWN = 5
"""How many chats or codes a failed check names."""


@dataclass(frozen=True)
class Run:
    """Everything one soak run produced."""

    users: int
    donors: int
    families: int
    kills_asked: int
    seed: int
    workdir: Path
    finished: int
    desks_failed: int
    traffic: Traffic
    approvals: Approvals
    kills: int
    starts: int
    stopped_cleanly: bool
    ready_seconds: list[float]
    exits: list[int]
    gave_up: str | None
    findings: Findings
    seconds: float
    drained: bool = True
    """The outbox emptied within --drain seconds (or the quick mode, which does not wait)."""

    def summary(self) -> dict[str, object]:
        """Return the run's own counts (beside the findings), for --json."""
        traffic = self.traffic
        return {"users": self.users, "finished": self.finished, "kills": self.kills,
                "starts": self.starts, "exits": self.exits, "ready_seconds": self.ready_seconds,
                "seconds": round(self.seconds, 1),
                "acked": len(traffic.acked), "refused": sum(traffic.refused.values()),
                "unreachable": traffic.unreachable, "loop_lag": traffic.loop_lag[0],
                "no_effect": traffic.no_effect,
                "stuck": traffic.stuck, "approvals_refused": self.approvals.refused,
                "desks_failed": self.desks_failed, "stopped_cleanly": self.stopped_cleanly,
                "failures": failures(self)}


def failures(run: Run) -> list[str]:
    """Name every invariant the run broke, with a few examples each."""
    found, traffic = run.findings, run.traffic
    checks: list[tuple[str, list[str]]] = [
        ("users did not finish", traffic.stuck),
        ("corrupted conversations", found.corrupted),
        ("committed answers lost", found.answers_lost),
        ("answers that moved nothing", traffic.no_effect),
        ("effects missing", found.effects_missing),
        ("effects applied twice", found.effects_doubled),
        ("approvals refused", run.approvals.refused),
        ("alerts sent twice", found.alerts_twice),
        ("alerts awaiting a resend", found.alerts_resend_pending),
        ("alerts stamped sent but never delivered", found.alerts_never_delivered),
        ("outbox rows given up, never delivered", found.given_up),
    ]
    failed = [f"{name}: {len(items)} ({', '.join(items[:SHOWN])})"
              for name, items in checks if items]
    if run.finished < run.users and not traffic.stuck:
        failed.append(f"users did not finish: {run.users - run.finished} (timed out)")
    if run.desks_failed:
        failed.append(f"admin desks did not finish: {run.desks_failed}")
    if run.kills < run.kills_asked:
        failed.append(f"kills done: {run.kills} of {run.kills_asked}")
    if run.exits:
        failed.append(f"the bot exited by itself {len(run.exits)} times (exit codes "
                      f"{sorted(set(run.exits))}; see bot.log)")
    if run.gave_up:
        failed.append(f"the soak gave up on the bot: {run.gave_up}")
    if not run.stopped_cleanly:
        failed.append("the bot did not stop cleanly on SIGTERM")
    if not run.drained:  # an alert not yet sent cannot be checked for being sent twice
        failed.append(f"the outbox did not drain in --drain seconds: {found.unsent} rows unsent")
    return failed


def _reasons(given_up: list[str]) -> str:
    """Count the errors rows were given up with."""
    reasons = Counter(line.partition(": ")[2] for line in given_up)
    return "".join(f"; {n}× {reason!r}" for reason, n in reasons.most_common(3))


def render(run: Run) -> str:
    """Return the counts as a table, then OK or each failure."""
    found, traffic = run.findings, run.traffic
    refused = ", ".join(f"{n}×{status}" for status, n in sorted(traffic.refused.items()))
    rows = [
        ("users finished", f"{run.finished} / {run.users} ({run.donors} donors, "
                           f"{run.families} families)"),
        ("updates answered 200", f"{len(traffic.acked)} (redelivered after: "
                                 f"{refused or 'no refusal'}; {traffic.unreachable} "
                                 "connections refused or cut)"),
        ("turns handled", str(found.turns)),
        ("kills / starts / exits by itself", f"{run.kills} / {run.starts} / "
                                             f"{len(run.exits)} (seed {run.seed})"),
        ("slowest start to webhook set", f"{max(run.ready_seconds, default=0):.1f} s"),
        ("soak's own worst loop lag", f"{traffic.loop_lag[0]:.1f} s (the fake Bot API's too)"),
        ("conversations / corrupted", f"{found.conversations} / {len(found.corrupted)}"),
        ("committed answers lost", str(len(found.answers_lost))),
        ("answers that moved nothing", str(len(traffic.no_effect))),
        ("effects missing / twice", f"{len(found.effects_missing)} / "
                                    f"{len(found.effects_doubled)}"),
        ("requests filed / approved", f"{found.requests} / {found.approved}"),
        ("alerts queued / delivered", f"{found.alerts_queued} / {found.alerts_delivered}"),
        ("alerts sent twice", str(len(found.alerts_twice))),
        ("alerts awaiting a resend", str(len(found.alerts_resend_pending))),
        ("alerts stamped, never delivered", str(len(found.alerts_never_delivered))),
        ("alerts cut off by a kill", f"{len(found.alerts_cut_off)} (given up, not resent; "
                                     f"{found.alerts_cut_off_lost} never reached the chat)"),
        ("replies/notices re-sent", f"{found.others_resent} (at least once: allowed)"),
        ("outbox unsent / leased", f"{found.unsent} / {found.unsent_leased}"),
        ("outbox rows given up", f"{len(found.given_up)}{_reasons(found.given_up)}"),
        ("waves due, not run", str(found.waves_due)),
        ("duration", f"{run.seconds:.1f} s"),
        ("database and bot.log", str(run.workdir)),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"bloodbot crash soak: {run.users} users, {run.kills_asked} kills"]
    lines += [f"  {name:<{width}}  {value}" for name, value in rows]
    failed = failures(run)
    lines += [f"FAILED {line}" for line in failed] or ["OK: every invariant holds"]
    return "\n".join(lines)
