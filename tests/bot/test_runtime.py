"""One transaction per turn: de-duplication, restarts, and one apology when a step fails."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlmodel import Session

from bot.app import App, build_app
from bot.settings import Settings
from conversations.flow import Flow, Prompt, Step, finish
from conversations.messages import Address
from conversations.state import ConversationState
from storage import turns
from tests.bot.conftest import FakeClock, RecordingSender, inbound


def state_of(app: App, user: str = "asha") -> ConversationState:
    with Session(app.db) as session:
        return ConversationState.from_json(turns.load_conversation(session, f"console:{user}"))


def converse(app: App, *texts: str, user: str = "asha") -> RecordingSender:
    sender = RecordingSender()
    for text in texts:
        asyncio.run(app.runtime.handle(inbound(text, user)))
    asyncio.run(app.courier({"console": sender}).drain())
    return sender


def test_replies_are_delivered_once_in_order(app: App) -> None:
    sender = converse(app, "hello", "2")
    assert "Please choose your language" in sender.texts()[0]
    assert "मरीज़ के लिए खून चाहिए" in [c.label for _u, m in sender.sent for c in m.choices]
    assert converse(app).sent == []


def test_a_redelivered_message_is_handled_once(app: App) -> None:
    message = inbound("hello", external_id="tg-1")
    outcomes = [asyncio.run(app.runtime.handle(message)) for _ in range(2)]
    assert [o.status for o in outcomes] == ["handled", "duplicate"]
    assert len(converse(app).sent) == 1


def test_a_restart_continues_where_the_user_was(app: App, db_url: str, clock: FakeClock) -> None:
    converse(app, "hello", "1", "1", "Ramesh Kumar")
    app.db.dispose()
    again = build_app(Settings(database_url=db_url), clock=clock)
    assert (state_of(again).flow, state_of(again).step) == ("request", "patient_age")
    assert "Is the patient male or female" in "\n".join(converse(again, "45").texts())
    assert state_of(again).data["patient_name"] == "Ramesh Kumar"


def test_a_failing_step_rolls_back_and_apologises_once(app: App) -> None:
    def explode(_turn: object) -> Prompt:
        raise RuntimeError("bug")

    broken = Flow("signup", "Broken", [Step("boom", explode, lambda t, a: finish(), "")])
    app.runtime.engine.flows["signup"] = broken
    converse(app, "hello", "1")
    message = inbound("2", external_id="boom-1")
    assert asyncio.run(app.runtime.handle(message)).status == "failed"
    assert asyncio.run(app.runtime.handle(message)).status == "failed"
    texts = converse(app).texts()
    assert len(texts) == 1 and texts[0].startswith("Sorry, something went wrong")
    assert state_of(app).flow is None


@pytest.mark.parametrize("lang, opening", [("2", "माफ़ कीजिए"), ("1", "Sorry")])
def test_the_apology_is_in_the_users_language(app: App, lang: str, opening: str) -> None:
    app.runtime.engine.flows["signup"] = Flow("signup", "Broken", [
        Step("boom", lambda t: Prompt(str(1 / 0)), lambda t, a: finish(), "")])
    converse(app, "hello", lang)
    assert converse(app, "2").texts()[-1].startswith(opening)


def test_a_flood_of_messages_is_slowed_with_one_polite_notice(app: App) -> None:
    converse(app, "hello", "1")
    for index in range(25):
        asyncio.run(app.runtime.handle(inbound("menu", external_id=f"flood-{index}")))
    texts = converse(app).texts()
    assert sum("sending messages very fast" in t for t in texts) == 1
    assert sum("What would you like to do?" in t for t in texts) == 20 - 2


def test_the_limit_resets_after_a_minute(app: App, clock: FakeClock) -> None:
    for index in range(21):
        asyncio.run(app.runtime.handle(inbound("menu", external_id=f"a-{index}")))
    clock.advance(minutes=1)
    assert asyncio.run(app.runtime.handle(inbound("menu"))).status == "handled"


def test_a_command_typed_in_a_group_that_fails_gets_no_private_apology(app: App) -> None:
    def explode(_turn: object, _args: list[str]) -> None:
        raise RuntimeError("bug")

    app.runtime.engine.commands["registergroup"] = explode
    message = replace(inbound("/registergroup Lucknow"), group=Address("console", "-100500"))
    assert asyncio.run(app.runtime.handle(message)).status == "failed"
    assert converse(app).sent == []
