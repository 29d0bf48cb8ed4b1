"""My profile: see my data, correct it, pause alerts, change consents and delete me."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.domain.eligibility import Donation, DonationKind
from storage.domain.records import Availability
from tests.conversations.chat import Chat
from tests.conversations.signup_chat import LUCKNOW, fake_services, registered, saved


def profile_chat() -> Chat:
    """Return a registered donor's chat with My profile open."""
    chat = registered()
    chat.say("3")
    assert chat.step == ("profile", "overview")
    return chat


def test_without_a_profile_it_offers_to_register() -> None:
    chat = Chat(fake_services())
    assert "not registered as a blood donor yet" in chat.say("3")
    assert "Before you register" in chat.say("1")
    assert chat.step == ("signup", "registry")


def test_declining_to_register_goes_back_to_the_menu() -> None:
    chat = Chat(fake_services())
    chat.say("3")
    assert "What would you like to do? Send the number" in chat.say("2")
    assert chat.step == (None, None)


def test_the_overview_shows_my_data_and_when_i_may_donate() -> None:
    text = registered().say("3")
    for shown in ("Asha Verma", "+919812345678", "B+", LUCKNOW.label, "15/10/2026"):
        assert shown in text
    assert "may donate again from 12/02/2027" in text and "1. Change availability" in text


def test_changing_availability_saves_only_that() -> None:
    chat = profile_chat()
    chat.say("1")
    assert "Saved. Availability: Weekends only." in chat.say("3")
    assert saved(chat).availability is Availability.WEEKENDS
    assert saved(chat).name == "Asha Verma" and chat.step == (None, None)


def test_updating_the_area_re_asks_an_unknown_pin() -> None:
    chat = profile_chat()
    chat.say("2")
    assert "I do not know the PIN code 999999" in chat.say("999999")
    assert "Saved. Your area is now Lucknow" in chat.text(chat.send(location=(26.9, 80.9)))


def test_updating_the_last_donation_asks_its_kind_and_says_when_next() -> None:
    chat = profile_chat()
    chat.say("3", "01/11/2026")
    text = chat.say("2")
    assert "Saved. Your last donation is updated." in text and "Final eligibility" in text
    assert saved(chat).last_donation == Donation(date(2026, 11, 1), DonationKind.APHERESIS)


def test_a_future_last_donation_is_re_asked() -> None:
    chat = profile_chat()
    chat.say("3")
    assert "That date is in the future" in chat.say("20/12/2026")
    assert chat.step == ("profile", "last_donation")


@pytest.mark.parametrize(("choice", "days"), [("1", 7), ("2", 30), ("3", 90)])
def test_pausing_alerts_sets_the_end_of_the_pause(choice: str, days: int) -> None:
    chat = profile_chat()
    chat.say("4")
    text = chat.say(choice)
    until = chat.now + timedelta(days=days)
    assert saved(chat).paused_until == until and "Alerts are paused until" in text
    assert "Alerts are paused until" in chat.say("3")


def test_resuming_clears_the_pause() -> None:
    chat = profile_chat()
    chat.say("4", "2", "3", "4")
    assert "Alerts are on again." in chat.say("4")
    assert saved(chat).paused_until is None
