"""Check the soak's invariants on the stopped bot's database and the fake Bot API's records."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.soak_chat import Traffic
from bench.soak_people import Approvals, Donor, Family
from conversations.registry import all_flows
from storage.outbox import BULK_KINDS, INTERRUPTED
from tests.handlers.fake_bot_api import Call

ALERT_CODE = re.compile(r"/respond (\S+) yes")
"""An alert's first answer button names its request: `/respond R-4821 yes`."""
APPROVED = frozenset({"verified", "broadcasting", "partly_fulfilled", "fulfilled"})
Key = tuple[int, str]


@dataclass
class Findings:
    """What the checks found; each list names the chats or codes concerned."""

    conversations: int = 0
    corrupted: list[str] = field(default_factory=list)
    answers_lost: list[str] = field(default_factory=list)
    effects_missing: list[str] = field(default_factory=list)
    effects_doubled: list[str] = field(default_factory=list)
    turns: int = 0
    requests: int = 0
    approved: int = 0
    alerts_queued: int = 0
    alerts_delivered: int = 0
    alerts_twice: list[str] = field(default_factory=list)
    alerts_resend_pending: list[str] = field(default_factory=list)
    alerts_never_delivered: list[str] = field(default_factory=list)
    alerts_cut_off: list[str] = field(default_factory=list)
    """Alerts a kill cut off mid-send: given up, never resent (at most once)."""
    alerts_cut_off_lost: int = 0  # of those, how many never reached the chat
    others_resent: int = 0  # deliveries of replies and notices beyond their outbox rows
    unsent: int = 0
    unsent_leased: int = 0
    failed: int = 0
    given_up: list[str] = field(default_factory=list)  # failed rows to reachable chats: lost
    waves_due: int = 0  # broadcast waves due but not run (a killed run's lease holds them)


def _rows(db: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return db.execute(sql).fetchall()


def check_conversations(db: sqlite3.Connection, found: Findings) -> None:
    """Every stored state must parse and name a known flow and step (or the menu)."""
    steps = {flow.name: set(flow.by_name) for flow in all_flows()}
    rows = _rows(db, "SELECT address_key, state FROM conversation")
    found.conversations = len(rows)
    for key, raw in rows:
        try:
            state = json.loads(raw)
        except ValueError:
            found.corrupted.append(f"{key}: not JSON")
            continue
        if not isinstance(state, dict) or not isinstance(state.get("data", {}), dict):
            found.corrupted.append(f"{key}: not a state object")
            continue
        flow, step = state.get("flow"), state.get("step")
        if (flow, step) != (None, None) and step not in steps.get(str(flow), ()):
            found.corrupted.append(f"{key}: unknown step {flow}/{step}")


def check_answers(db: sqlite3.Connection, traffic: Traffic, found: Findings) -> None:
    """Every update answered 200 must be recorded as handled."""
    handled = {row[0] for row in _rows(
        db, "SELECT external_id FROM inbound_message WHERE channel = 'telegram'")}
    found.turns = len(handled)
    found.answers_lost = [f"m:{chat}:{message}" for chat, message in traffic.acked
                          if f"m:{chat}:{message}" not in handled]


def check_donors(db: sqlite3.Connection, donors: Iterable[Donor], found: Findings) -> None:
    """Each finished donor has one donor row holding what they answered."""
    stored = {int(row[0]): row[1:] for row in _rows(db, """
        SELECT a.user_id, p.name, p.phone, d.blood_group, d.sex, d.pincode, d.language,
               d.consent_alerts
        FROM address a JOIN person p ON p.id = a.person_id JOIN donor d ON d.person_id = p.id
        WHERE a.channel = 'telegram'""")}
    for donor in donors:
        expected = (donor.name, f"+91{donor.phone}", donor.group, donor.sex, donor.pin,
                    donor.language, 1)
        if stored.get(donor.chat) != expected:
            found.effects_missing.append(f"donor {donor.chat}: {stored.get(donor.chat)}")
    for phone, times in _rows(db, "SELECT phone, count(*) FROM person WHERE phone IS NOT NULL "
                                  "GROUP BY phone HAVING count(*) > 1"):
        found.effects_doubled.append(f"{times} people with phone …{str(phone)[-4:]}")


def check_requests(db: sqlite3.Connection, families: Iterable[Family], approvals: Approvals,
                   found: Findings) -> None:
    """Each finished family filed one request as answered; each approval was recorded once."""
    by_chat: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    rows = _rows(db, "SELECT requester_address_key, code, status, patient_name, units, "
                     "attendant_phone, hospital_pincode, approval_count FROM blood_request")
    for row in rows:
        by_chat[str(row[0])].append(row[1:])
    found.requests = len(rows)
    found.approved = sum(row[2] in APPROVED for row in rows)
    for family in families:
        filed = by_chat.get(f"telegram:{family.chat}", [])
        if len(filed) > 1:
            found.effects_doubled.append(f"family {family.chat} filed {len(filed)} requests")
        expected = (family.patient, family.units, f"+91{family.phone}", family.pin)
        if not filed or tuple(filed[0][2:6]) != expected:
            found.effects_missing.append(f"request of {family.chat}: {filed}")
    status = {row[1]: (row[2], row[7]) for row in rows}
    recorded = dict(_rows(db, "SELECT r.code, count(*) FROM request_approval a "
                              "JOIN blood_request r ON r.id = a.request_id GROUP BY r.code"))
    for code, done in approvals.done.items():
        if recorded.get(code, 0) > done:
            found.effects_doubled.append(f"{code}: {recorded[code]} approvals for {done}")
        elif recorded.get(code, 0) < done or (done >= 2 and status[code][0] not in APPROVED):
            found.effects_missing.append(f"{code}: {status.get(code)}, {done} approvals")


def deliveries(calls: Sequence[Call]) -> tuple[Counter[Key], Counter[Key]]:
    """Count successful sendMessage calls: alerts by (chat, code), the rest by (chat, text)."""
    alerts: Counter[Key] = Counter()
    others: Counter[Key] = Counter()
    for call in calls:
        params = call.params
        if call.method != "sendMessage" or "message_id" not in params:
            continue
        chat = int(params["chat_id"])
        code = ALERT_CODE.search(json.dumps(params.get("reply_markup") or {}))
        if code is not None:
            alerts[chat, code.group(1)] += 1
        else:
            others[chat, str(params.get("text", ""))] += 1
    return alerts, others


def check_outbox(db: sqlite3.Connection, calls: Sequence[Call], found: Findings) -> None:
    """Compare each outbox row with what reached the fake Bot API, alerts most closely."""
    alerts, others = deliveries(calls)
    found.alerts_delivered = sum(alerts.values())
    found.alerts_twice = [f"{chat} {code} ×{n}" for (chat, code), n in alerts.items() if n > 1]
    queued: Counter[Key] = Counter()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    for key, kind, payload, leased, sent, failed, error, started in _rows(
            db, "SELECT address_key, kind, payload, claimed_until, sent_at, failed_at, "
                "last_error, send_started_at FROM outbox WHERE channel = 'telegram'"):
        chat, unsent = int(str(key).partition(":")[2]), sent is None and failed is None
        # An alert whose send a kill cut off is given up when next claimed, never resent.
        cut_off = kind in BULK_KINDS and (error == INTERRUPTED
                                          or (unsent and started is not None))
        found.unsent += unsent
        found.unsent_leased += unsent and leased is not None and str(leased) > now
        found.failed += failed is not None
        if failed is not None and error not in ("unreachable", INTERRUPTED):  # all reachable
            found.given_up.append(f"{kind} to {chat}: {error}")
        code = ALERT_CODE.search(payload) if kind == "alert" else None
        if code is None:
            queued[chat, json.loads(payload)["text"]] += 1
            continue
        found.alerts_queued += 1
        where = f"{chat} {code.group(1)}"
        if cut_off:
            found.alerts_cut_off.append(where)
            found.alerts_cut_off_lost += not alerts[chat, code.group(1)]
        elif unsent and alerts[chat, code.group(1)]:
            found.alerts_resend_pending.append(where)
        if sent is not None and not alerts[chat, code.group(1)]:
            found.alerts_never_delivered.append(where)
    found.others_resent = sum(max(0, n - queued[key]) for key, n in others.items()
                              if key in queued)


def due_work(db: sqlite3.Connection, *, waiting: bool = True) -> tuple[int, int]:
    """Return the outbox rows still to send and the broadcast waves due but not finished.

    With `waiting=False`, work that waits (for a killed process's lease to run out, or for a
    retry time) is not counted.
    """
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    free = "" if waiting else " AND (claimed_until IS NULL OR claimed_until <= :now)"
    retry = "" if waiting else " AND due_at <= :now"
    unsent = db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                        "AND failed_at IS NULL" + free + retry, {"now": now}).fetchone()[0]
    waves = db.execute("SELECT count(*) FROM broadcast_wave WHERE finished_at IS NULL "
                       "AND due_at <= :now" + free, {"now": now}).fetchone()[0]
    return int(unsent), int(waves)


def check_all(db_path: Path, people: Sequence[Donor | Family], finished: set[int],
              traffic: Traffic, approvals: Approvals, calls: Sequence[Call]) -> Findings:
    """Run every check on the database of a stopped bot."""
    found = Findings()
    with closing(sqlite3.connect(db_path)) as db:
        found.waves_due = due_work(db)[1]
        check_conversations(db, found)
        check_answers(db, traffic, found)
        check_donors(db, [p for p in people if isinstance(p, Donor) and p.chat in finished],
                     found)
        check_requests(db, [p for p in people if isinstance(p, Family) and p.chat in finished],
                       approvals, found)
        check_outbox(db, calls, found)
    return found
