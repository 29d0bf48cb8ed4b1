"""Two `bloodbot run` processes on one database: nothing sent twice, one scheduler, one limit.

They need TEST_POSTGRES_URL (the delivery test runs on a SQLite file as well). The bot-wide
rate limit is shared through the database on PostgreSQL only (on SQLite it stays per process).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from conversations.messages import Outbound
from storage import outbox
from storage.broadcast import start_broadcast
from storage.broadcast_tables import BroadcastWave
from storage.db import make_engine, upgrade_schema
from storage.tables import InboundMessage, OutboxRow
from tests.bot.processes import BotApi, bot_api, bot_processes, wait_for
from tests.handlers.fake_bot_api import private_message
from tests.storage.broadcast_world import World, profile

ALERTS = 200
RATE = 40
"""The bot-wide limit in these tests: messages a second, all processes together."""
LEASE = 4.0
"""The scheduler lease in these tests, in seconds (45 in production)."""
USERS = range(7000, 7010)


def seed(db_url: str) -> None:
    """Queue ALERTS alerts to as many chats, and three urgent requests whose wave 1 is due."""
    db, now = make_engine(db_url), datetime.now(UTC)
    upgrade_schema(db)
    with Session(db) as session, session.begin():
        for n in range(ALERTS):
            outbox.enqueue(session, address_key=f"telegram:{5000 + n}", kind="alert",
                           payload=Outbound(f"alert {n}").to_json(), now=now,
                           idempotency_key=f"alert:scale:{n}")
        world = World(session)
        for n in range(6):
            world.add(profile("O-" if n % 2 else "B-", km=1 + n / 10))
        for _ in range(3):  # rare groups are never held for quiet hours
            code = world.request("B-", required_by=now + timedelta(hours=3))
            start_broadcast(session, request_code=code, now=now)
    db.dispose()


def settled(db_url: str) -> bool:
    """Tell whether every inbound was handled, every wave ran and every message left."""
    db = make_engine(db_url)
    with Session(db) as session:
        handled = session.exec(select(func.count()).select_from(InboundMessage)).one()
        waves = session.exec(select(func.count()).select_from(BroadcastWave).where(
            col(BroadcastWave.finished_at).is_(None), BroadcastWave.number == 1)).one()
        unsent = session.exec(select(func.count()).select_from(OutboxRow).where(
            col(OutboxRow.sent_at).is_(None))).one()
    db.dispose()
    return handled == len(USERS) and waves == 0 and unsent == 0


def rows_per_chat(db_url: str) -> Counter[int]:
    """Count the outbox rows stamped sent, by Telegram chat id."""
    db = make_engine(db_url)
    with Session(db) as session:
        keys = session.exec(select(OutboxRow.address_key).where(
            col(OutboxRow.sent_at).is_not(None))).all()
    db.dispose()
    return Counter(int(key.split(":", 1)[1]) for key in keys)


def most_in_any_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


def test_two_processes_send_every_message_once_within_one_shared_limit(
        db_url: str, tmp_path: Path) -> None:
    with bot_api() as api, bot_processes(db_url, api, tmp_path,
                                         telegram_max_per_second=str(RATE)) as (a, b):
        seed(db_url)  # both are up: each courier claims its share from the start
        for n, chat in enumerate(USERS):  # each update lands on one, its redelivery on the other
            update = api.fake.update(private_message(chat, "hi"))
            assert [(a, b)[n % 2].post(update), (b, a)[n % 2].post(update)] == [200, 200]
        wait_for(lambda: settled(db_url), 60, "delivery of every message")
    delivered = Counter(api.delivered())
    assert delivered == rows_per_chat(db_url)
    assert [delivered[5000 + n] for n in range(ALERTS)] == [1] * ALERTS
    assert all(delivered[chat] >= 1 for chat in USERS) and len(api.sends) > ALERTS + len(USERS)
    if db_url.startswith("postgresql"):
        assert_one_shared_limit(api)


def assert_one_shared_limit(api: BotApi) -> None:
    """Both processes sent a fair share, yet together no faster than RATE a second."""
    shares = Counter(process for process, _at in api.sends)
    assert min(shares["a"], shares["b"]) >= len(api.sends) / 4, shares
    times = sorted(at for _process, at in api.sends)
    assert (len(times) - 1) / (times[-1] - times[0]) <= RATE * 1.05
    assert most_in_any_second(times) <= RATE + 6  # 150 ms of network and scheduling jitter


def test_one_process_ticks_and_another_takes_over_when_it_is_killed(
        postgres_url: str, tmp_path: Path) -> None:
    with bot_api() as api, bot_processes(postgres_url, api, tmp_path,
                                         leader_lease_seconds=str(LEASE)) as processes:
        wait_for(lambda: sum(p.leads() for p in processes) == 1, 10, "a leader")
        leader, other = sorted(processes, key=lambda process: not process.leads())
        time.sleep(2)
        assert leader.tick_count() >= 2 and other.tick_count() == 0 and not other.leads()
        leader.kill()
        took_over = wait_for(other.leads, 60, "a takeover")
        assert took_over <= LEASE * 4 / 3 + 2  # production: 45 s + 15 s, within a minute
        wait_for(lambda: other.tick_count() >= 2, 5, "ticks by the new leader")
