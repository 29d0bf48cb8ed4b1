"""The wave job on a real database: approval → alerts to the right donors → pledge → contacts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bot.jobs import run_due_waves
from storage import audit, turns
from storage.domain.addresses import Address
from tests.bot.broadcast_app import Network, approve, build_network, outbox, say
from tests.bot.conftest import FakeClock
from tests.storage.samples import REQUEST

PHONE_LIKE = re.compile(r"\+?\d[\d\s-]{7,}\d")


@pytest.fixture
def network(db_url: str, clock: FakeClock) -> Iterator[Network]:
    built = build_network(db_url, clock)
    yield built
    built.app.db.dispose()


def test_approval_alerts_only_compatible_eligible_donors_within_5_km(network: Network) -> None:
    approve(network.app, network.code)
    assert run_due_waves(network.app) == 2
    alerts = outbox(network.app, "alert")
    assert {key for key, _ in alerts} == {network.keys["near"], network.keys["o_neg"]}
    assert all(network.code in text and not PHONE_LIKE.search(text) for _, text in alerts)


def test_running_again_sends_nothing_twice_and_the_next_wave_reaches_10_km(
        network: Network, clock: FakeClock) -> None:
    approve(network.app, network.code)
    run_due_waves(network.app)
    assert run_due_waves(network.app) == 0 and len(outbox(network.app, "alert")) == 2
    clock.advance(minutes=15)
    assert run_due_waves(network.app) == 1
    assert outbox(network.app, "alert")[-1][0] == network.keys["far"]


def test_a_donor_with_two_addresses_gets_the_alert_on_each_once(network: Network) -> None:
    near, whatsapp = Address.from_key(network.keys["near"]), Address("whatsapp", "+919800000011")
    with Session(network.app.db) as session, session.begin():
        for address in (near, whatsapp):  # the same verified phone links the two
            turns.remember_address(session, address, now=network.app.clock(),
                                   phone=whatsapp.user_id, display_name=None)
    approve(network.app, network.code)
    run_due_waves(network.app)
    keys = [key for key, _ in outbox(network.app, "alert")]
    assert sorted(keys) == sorted([near.key, whatsapp.key, network.keys["o_neg"]])


def test_a_pledge_reveals_both_phones_audited_and_enough_pledges_stop_the_waves(
        network: Network, clock: FakeClock) -> None:
    app, code = network.app, network.code
    approve(app, code)
    run_due_waves(app)
    for name in ("near", "o_neg"):  # 1 unit + 1 spare
        say(app, Address.from_key(network.keys[name]), f"/respond {code} yes", "2")
    replies = [text for key, text in outbox(app, "reply") if key == network.keys["near"]]
    assert any(REQUEST.attendant_phone in text for text in replies)
    assert len(outbox(app, "donor_coming")) == 2
    with Session(app.db) as session:
        actions = [entry.action for entry in audit.history(session, f"request:{code}")]
    assert actions.count("reveal.attendant_phone") == 2 and "reveal.donor_phone" in actions
    clock.advance(minutes=15)
    assert run_due_waves(app) == 0 and len(outbox(app, "alert")) == 2
