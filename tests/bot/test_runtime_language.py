"""A known person is never asked their language again, and a command is never held up by it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session

from bot.app import App
from conversations.messages import Address, Inbound
from storage import turns
from storage.services import SqlServices
from tests.bot.conftest import RecordingSender
from tests.storage.samples import DONOR, PHONE

LANGUAGE_QUESTION = "Please choose your language"


def say(app: App, user: str, text: str = "", phone: str | None = None) -> list[str]:
    """Send one console message (with a phone the channel verified) and return the replies."""
    message = Inbound(Address("console", user), f"{user}:{text}:{phone}",
                      datetime(2026, 12, 4, 8, 30, tzinfo=UTC), text, phone=phone)
    asyncio.run(app.runtime.handle(message))
    sender = RecordingSender()
    asyncio.run(app.courier({"console": sender}).drain())
    return sender.texts(user)


def signed_up_in_hindi(app: App) -> None:
    """Store a Hindi-speaking donor on one address, with her verified phone."""
    first = Address("console", "first-phone")
    with Session(app.db) as session, session.begin():
        turns.remember_address(session, first, now=app.clock(), phone=PHONE, display_name=None)
        SqlServices(session, app.runtime.places).save_donor_profile(first, DONOR, app.clock())


def test_a_donors_new_address_speaks_her_language_without_asking(app: App) -> None:
    signed_up_in_hindi(app)
    replies = say(app, "new-phone", "hello", phone=PHONE)
    assert LANGUAGE_QUESTION not in "\n".join(replies)
    assert "आप क्या करना चाहते हैं" in replies[0]  # the menu, in Hindi


def test_a_stranger_is_still_asked_first(app: App) -> None:
    assert LANGUAGE_QUESTION in say(app, "stranger", "hello")[0]


def test_a_command_on_a_new_address_is_answered_not_held_behind_the_language(app: App) -> None:
    replies = say(app, "volunteer", "/respond R-4821")
    assert replies and LANGUAGE_QUESTION not in "\n".join(replies)
    assert LANGUAGE_QUESTION in say(app, "volunteer", "hello")[0]  # asked when they chat
