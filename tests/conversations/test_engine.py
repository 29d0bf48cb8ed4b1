"""The engine's routing: first contact, global commands, choices, re-asks and resets."""

from __future__ import annotations

from conversations.commands import CommandReply
from conversations.engine import Engine, command_of, match_option
from conversations.flow import (
    Answer,
    Flow,
    Option,
    Prompt,
    Step,
    Transition,
    Turn,
    finish,
    goto,
    retry,
)
from conversations.flows import language
from conversations.menu import MENU_OPTIONS
from conversations.messages import Outbound
from storage.memory import MemoryServices
from tests.conversations.chat import Chat
from tests.storage.samples import DONOR

COLOURS = (Option("red", "Red", ("laal",)), Option("blue", "Blue"))


def _colour(turn: Turn) -> Prompt:
    return Prompt("Pick a colour", COLOURS)


def _on_colour(turn: Turn, answer: Answer) -> Transition:
    turn.data["colour"] = answer.choice
    return goto("word")


def _word(turn: Turn) -> Prompt:
    return Prompt("Say a word")


def _on_word(turn: Turn, answer: Answer) -> Transition:
    if not answer.text.isalpha():
        return retry("Letters only, like: apple")
    return finish(f"{turn.data['colour']} {answer.text}")


TOY = Flow("signup", "Toy", [Step("colour", _colour, _on_colour, "Colour help"),
                            Step("word", _word, _on_word, "Word help")])


def toy_chat(lang: str | None = "en") -> Chat:
    chat = Chat(MemoryServices(), lang=lang)
    chat.engine = Engine([language.FLOW, TOY])
    return chat


def test_first_contact_asks_language_in_both_languages() -> None:
    text = toy_chat(lang=None).say("hello")
    assert "Please choose your language" in text and "कृपया अपनी भाषा चुनें" in text


def test_choosing_hindi_shows_the_menu_in_hindi() -> None:
    chat = toy_chat(lang=None)
    text = chat.say("hi", "2")
    assert "मरीज़ के लिए खून चाहिए" in text and chat.state.lang == "hi"


def test_deep_link_opens_the_flow_after_the_language() -> None:
    chat = toy_chat(lang=None)
    assert "Pick a colour" in chat.say("/start donate", "1")


def test_choice_by_number_label_alias_and_case() -> None:
    assert match_option("2", COLOURS) == COLOURS[1]
    assert match_option(" BLUE. ", COLOURS) == COLOURS[1]
    assert match_option("Laal", COLOURS) == COLOURS[0]
    assert match_option("२", COLOURS) == COLOURS[1]
    assert match_option("3", COLOURS) is None


def test_hindi_label_picks_a_menu_option_in_english_session() -> None:
    assert match_option("मरीज़ के लिए खून चाहिए", MENU_OPTIONS) == MENU_OPTIONS[0]


def test_unmatched_reply_re_asks_with_the_choices() -> None:
    chat = toy_chat()
    text = chat.say("2", "green")
    assert "send the number of one of the choices" in text and "1. Red" in text


def test_retry_explains_and_asks_again() -> None:
    chat = toy_chat()
    text = chat.say("2", "1", "123")
    assert text.startswith("Letters only, like: apple") and "Say a word" in text
    assert chat.step == ("signup", "word")


def test_finish_returns_to_menu_with_the_data() -> None:
    text = toy_chat().say("2", "laal", "apple")
    assert "red apple" in text and "What would you like to do?" in text


def test_help_explains_the_step_and_re_asks() -> None:
    text = toy_chat().say("2", "help")
    assert "Colour help" in text and "Pick a colour" in text


def test_cancel_leaves_the_flow_from_any_step() -> None:
    chat = toy_chat()
    text = chat.say("2", "1", "/cancel")
    assert "Nothing was saved" in text and chat.step == (None, None)


def test_unknown_step_after_update_resets_cleanly() -> None:
    chat = toy_chat()
    chat.say("2")
    chat.state.step = "removed_step"
    text = chat.say("1")
    assert "had to start again" in text and chat.step == (None, None)


def test_empty_and_overlong_messages_are_re_asked() -> None:
    chat = toy_chat()
    chat.say("2")
    assert "did not receive any text" in chat.say("   ")
    assert "too long" in chat.say("x" * 1001)
    assert chat.step == ("signup", "colour")


def test_commands_work_with_and_without_slash_in_both_languages() -> None:
    assert command_of("/cancel") == ("cancel", "")
    assert command_of("रद्द") == ("cancel", "")
    assert command_of("MENU") == ("menu", "")
    assert command_of("/start request") == ("menu", "request")
    assert command_of("cancel my order") == (None, "")


def test_stop_withdraws_alert_consent() -> None:
    text = toy_chat().say("stop")
    assert "no more blood request alerts" in text


def test_start_turns_alerts_back_on_for_a_donor_who_stopped() -> None:
    chat = toy_chat()
    chat.services.donors[chat.address.key] = DONOR
    assert "no more blood request alerts" in chat.say("STOP")
    assert not chat.services.donors[chat.address.key].consents.alerts
    assert "alerts are on again" in chat.say("START")
    assert chat.services.donors[chat.address.key].consents.alerts


def test_start_for_someone_who_never_stopped_just_shows_the_menu() -> None:
    text = toy_chat().say("start")
    assert "on again" not in text and "What would you like to do?" in text


def test_an_unknown_slash_command_is_not_taken_as_an_answer() -> None:
    chat = toy_chat()
    chat.say("2", "1")
    text = chat.say("/approve R-1234")
    assert text.startswith("I do not know that command") and "Say a word" in text
    assert chat.step == ("signup", "word")


def test_a_registered_command_runs_and_may_refuse_like_an_unknown_one() -> None:
    chat = toy_chat()
    chat.engine.commands["secret"] = lambda turn, args: (
        CommandReply((Outbound(f"ok {args}"),)) if args else None)
    assert chat.say("/secret@bloodbot a b") == "ok ['a', 'b']"
    assert chat.say("/secret") == chat.say("/nosuchthing")


def test_a_contact_shared_at_the_menu_is_acknowledged() -> None:
    chat = toy_chat()
    text = Chat.text(chat.send(phone="+919000000001"))
    assert text.startswith("Thank you: your number +919000000001 is saved")
