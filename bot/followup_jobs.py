"""Follow-up ticks: outcome questions, still-needed checks, expiry, reminders, fatigue, groups.

Each tick runs in one transaction: the rows it claims and the outbox rows it queues commit
together, so a crash sends nothing or everything, and unique keys stop a second send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from sqlmodel import Session

from bot.app import App
from bot.leader import Tick
from conversations.followups import ask_message, check_in, closed_notice, group_closed, group_post
from conversations.messages import Address, Outbound
from storage import followups, groups, outbox
from storage.responses import mark_ignored_alerts

log = logging.getLogger(__name__)

TICK_SECONDS = 60
"""How often the follow-up jobs look for due work."""


def _send(session: Session, app: App, to: Address, message: Outbound, kind: str,
          key: str) -> None:
    outbox.enqueue(session, address_key=to.key, kind=kind, payload=message.to_json(),
                   now=app.clock(), idempotency_key=key)


def run_followups(app: App) -> int:
    """Ask, expire, remind, pause and post whatever is due now; return how much was queued."""
    now, zone, sent = app.clock(), app.settings.zone, 0
    with Session(app.db) as session, session.begin():
        asks = [*followups.due_outcome_asks(session, now=now),
                *followups.due_still_needed(session, now=now),
                *followups.due_reminders(session, now=now, tz=zone)]
        for ask in asks:
            _send(session, app, ask.recipient, ask_message(ask, zone), ask.kind.value,
                  f"followup:{ask.ticket}")
        for closed in followups.expire_overdue(session, now=now):
            if closed.requester is not None:
                _send(session, app, closed.requester, closed_notice(closed.language, closed.code),
                      "request_expired", f"{closed.code}:expired")
        sent += len(asks) + pause_tired_donors(session, app)
        for post in groups.posts_due(session, now=now):
            _send(session, app, post.group, group_post(post.summary, zone), "group_post",
                  groups.post_key(post.summary.code, post.group))
            sent += 1
        for post in groups.closings_due(session, now=now):
            update = replace(group_closed(post.summary, post.summary.status),
                             edit_of=post.message_id)  # the post itself says it is closed
            _send(session, app, post.group, update, "group_post_closed",
                  f"group_closed:{post.summary.code}:{post.group.key}")
            sent += 1
    return sent


def pause_tired_donors(session: Session, app: App) -> int:
    """Pause donors who ignored too many alerts in a row and send each a check-in message."""
    now, rules = app.clock(), app.rules
    paused = mark_ignored_alerts(session, before=now - timedelta(hours=rules.ignored_after_hours),
                                 now=now, rules=rules)
    contacts = followups.donor_contacts(session, paused)
    for address, language in contacts:
        message = check_in(language, rules.ignored_in_row_to_pause, rules.auto_pause_days)
        _send(session, app, address, message, "fatigue_check_in",
              f"check_in:{address.key}:{now.date().isoformat()}")
    return len(contacts)


def followup_tick(app: App, wake: Callable[[], None]) -> Tick:
    """Return the follow-up tick: run what is due, then wake the courier if it queued any."""

    async def tick() -> None:
        try:
            if await asyncio.to_thread(run_followups, app):
                wake()
        except Exception:
            log.exception("follow-up tick failed")

    return tick
