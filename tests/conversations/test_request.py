"""The blood request flow end to end: saving, the summary, resuming, duplicates, Hindi."""

from __future__ import annotations

from datetime import UTC, datetime

from conversations.flows.request_summary import ANTI_SCAM
from conversations.i18n import Translator
from conversations.state import ConversationState
from storage.domain.blood import BloodGroup
from storage.domain.records import RequestKind, RequestStatus
from tests.conversations.chat import Chat
from tests.conversations.request_chat import ANSWERS, LUCKNOW, request_chat, stored, walk


def test_a_confirmed_request_is_stored_pending_verification() -> None:
    chat = request_chat()
    text = walk(chat)
    [request] = stored(chat)
    assert request.status is RequestStatus.PENDING_VERIFICATION
    assert request.draft.attendant_phone == "+919812345678"
    assert request.draft.patient_group == BloodGroup.from_code("B+")
    assert request.draft.hospital_place == LUCKNOW and request.draft.units == 2
    assert request.code in text and "volunteer will verify it" in text


def test_the_requester_is_warned_never_to_pay() -> None:
    text = walk(request_chat())
    assert "Blood donation is free. Never pay anyone — donor, agent or 'blood bank'." in text
    assert ANTI_SCAM in text


def test_the_summary_shows_every_answer_before_saving() -> None:
    chat = request_chat()
    text = walk(chat, until="confirm")
    for shown in ("Sunita Devi", "45 years", "Female", "B+", "2 × Whole blood",
                  "Any group (replacement)", "KGMU Trauma Centre", "Lucknow, Uttar Pradesh",
                  "not given", "Fri 4 Dec, 6:00 PM", "Ramesh Kumar (Husband or wife)",
                  "+919812345678"):
        assert shown in text
    assert stored(chat) == []


def test_a_restart_continues_at_the_same_step() -> None:
    chat = request_chat()
    walk(chat, until="hospital_place")
    saved = chat.state.to_json()
    fresh = Chat(chat.services)
    fresh.state = ConversationState.from_json(saved)
    assert "Hospital area: Lucknow" in fresh.say("226003")
    assert fresh.step == ("request", "ward")
    walk(fresh)
    assert stored(fresh)[0].draft.patient_name == "Sunita Devi"


def test_kal_subah_10_baje_means_tomorrow_at_ten() -> None:
    chat = request_chat()
    walk(chat, until="attendant_name", required_by="kal subah 10 baje")
    walk(chat)
    assert stored(chat)[0].draft.required_by == datetime(2026, 12, 5, 4, 30, tzinfo=UTC)


def test_the_same_request_within_72_hours_returns_the_first() -> None:
    first = request_chat()
    walk(first)
    [original] = stored(first)
    again = Chat(first.services, user="ravi", now=first.now)
    again.later(hours=71)
    again.say("1")
    text = walk(again)
    assert original.code in text and "waiting for a volunteer to verify it" in text
    assert len(stored(again)) == 1


def test_the_same_request_after_72_hours_is_new() -> None:
    first = request_chat()
    walk(first)
    first.later(hours=73)
    first.say("1")
    walk(first, required_by="tomorrow morning")
    assert len(stored(first)) == 2


def test_an_unknown_group_skips_the_kind_question() -> None:
    chat = request_chat()
    text = walk(chat, until="hospital_name", blood_group="don't know")
    assert "donors of any group will be asked" in text
    walk(chat)
    assert stored(chat)[0].draft.kind is RequestKind.REPLACEMENT


def test_a_bombay_patient_asks_only_bombay_donors() -> None:
    chat = request_chat()
    text = walk(chat, until="hospital_name", blood_group="Bombay")
    assert "only from Bombay (hh) donors" in text
    walk(chat)
    assert stored(chat)[0].draft.kind is RequestKind.GROUP_SPECIFIC


def test_a_whole_request_in_hindi_is_asked_in_hindi() -> None:
    chat = request_chat(lang="hi")
    for _turn in range(20):
        step = chat.step[1]
        if step is None:
            break
        text = chat.say("आज शाम 6 बजे" if step == "required_by" else ANSWERS[step])
        assert any("\u0900" <= ch <= "\u097f" for ch in text), (step, text)
    [request] = stored(chat)
    assert request.code in text and Translator("hi").t(ANTI_SCAM) in text
    assert request.draft.language == "hi"
