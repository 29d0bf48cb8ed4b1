"""`cancel` at any sign-up step saves nothing; help explains each step and keeps it."""

from __future__ import annotations

import pytest

from conversations.flows.signup import FLOW
from tests.conversations.chat import Chat
from tests.conversations.signup_chat import registered, saved, signup_chat, walk

STEPS = [step.name for step in FLOW.steps]


def reach(step: str) -> Chat:
    """Return a sign-up chat waiting at `step` (with one deferral, to reach its date)."""
    chat = signup_chat()
    walk(chat, until="summary" if step == "change" else step, deferrals="1")
    if step == "change":
        chat.say("2")
    assert chat.step == ("signup", step)
    return chat


@pytest.mark.parametrize("step", STEPS)
def test_cancel_at_every_step_saves_nothing(step: str) -> None:
    chat = reach(step)
    assert "Cancelled. Nothing was saved." in chat.say("cancel")
    assert chat.step == (None, None) and chat.services.donors == {}


@pytest.mark.parametrize("step", STEPS)
def test_help_at_every_step_explains_it_and_asks_again(step: str) -> None:
    chat = reach(step)
    text = chat.say("help")
    assert "Send 'cancel' to stop (nothing is saved)" in text
    assert chat.step == ("signup", step)


def test_the_summary_cancel_choice_saves_nothing() -> None:
    chat = signup_chat()
    walk(chat, until="summary")
    assert "Nothing was saved." in chat.say("3")
    assert chat.services.donors == {}


def test_cancelling_an_update_keeps_the_stored_profile() -> None:
    chat = registered()
    chat.say("2", "2", "1")
    chat.say("Someone Else", "cancel")
    assert saved(chat).name == "Asha Verma"
