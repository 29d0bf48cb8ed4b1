"""Outbound messages as Telegram shows them: split texts, buttons and request keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from conversations.messages import Choice, Outbound
from handlers.telegram_render import SEND_LOCATION, render, split_text

YES_NO = (Choice("yes", "Yes"), Choice("no", "No"))


def test_a_long_text_is_split_at_line_ends_with_the_buttons_on_the_last_part() -> None:
    lines = [f"{i:04d} " + "x" * 95 for i in range(100)]  # 10,000 characters
    parts = render(Outbound("\n".join(lines), YES_NO))
    assert len(parts) == 3 and all(len(part.text) <= 4096 for part in parts)
    assert "\n".join(part.text for part in parts) == "\n".join(lines)
    assert [part.markup is None for part in parts] == [True, True, False]


def test_a_line_longer_than_a_message_is_cut_inside_it() -> None:
    assert [len(part) for part in split_text("y" * 5000)] == [4096, 904]
    assert split_text("🩸" * 3000)[0] == "🩸" * 2048  # Telegram counts UTF-16 units


def test_choices_become_buttons_that_send_their_key() -> None:
    markup = render(Outbound("Blood group?", (Choice("a pos", "A+"), Choice("b pos", "B+"),
                                              Choice("unknown", "Don't know yet, sorry"))))[0]
    assert isinstance(markup.markup, InlineKeyboardMarkup)
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.markup.inline_keyboard]
    assert rows == [[("A+", "a pos"), ("B+", "b pos")], [("Don't know yet, sorry", "unknown")]]


def test_a_key_that_reads_as_a_command_sends_the_choice_number_instead() -> None:
    markup = render(Outbound("Language?", (Choice("en", "English"), Choice("hi", "हिन्दी"))))
    assert isinstance(markup[0].markup, InlineKeyboardMarkup)
    assert [b.callback_data for b in markup[0].markup.inline_keyboard[0]] == ["en", "2"]


def test_a_location_request_is_a_button_and_the_next_plain_message_removes_it() -> None:
    ask = render(Outbound("Where are you?", ask_location=True))[0].markup
    assert isinstance(ask, ReplyKeyboardMarkup) and ask.one_time_keyboard
    assert ask.keyboard[0][0].request_location and ask.keyboard[0][0].text == SEND_LOCATION
    after = render(Outbound("Thanks."), clear_reply_keyboard=True)[0].markup
    assert isinstance(after, ReplyKeyboardRemove)
    assert render(Outbound("Thanks."))[0].markup is None


def test_choices_offered_with_a_location_request_share_its_keyboard() -> None:
    markup = render(Outbound("Which place?", (Choice("s:0", "Lucknow"),), ask_location=True))
    keyboard = markup[0].markup
    assert isinstance(keyboard, ReplyKeyboardMarkup)
    assert [row[0].text for row in keyboard.keyboard] == [SEND_LOCATION, "Lucknow"]
