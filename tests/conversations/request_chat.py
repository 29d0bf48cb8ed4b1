"""A chat primed for the blood request flow, with fake places and a typical family's answers."""

from __future__ import annotations

from storage.domain.places import Place
from storage.domain.records import RequestSummary
from storage.memory import MemoryServices
from tests.conversations.chat import Chat

LUCKNOW = Place(26.85, 80.95, "Lucknow", "Uttar Pradesh", "226003",
                "Lucknow, Uttar Pradesh 226003")

ANSWERS: dict[str, str] = {
    "patient_name": "Sunita Devi",
    "patient_age": "45",
    "patient_sex": "2",
    "blood_group": "B+",
    "component": "1",
    "units": "2",
    "kind": "1",
    "hospital_name": "KGMU Trauma Centre",
    "hospital_place": "226003",
    "ward": "skip",
    "slip": "skip",
    "required_by": "today 6pm",
    "required_time": "3",
    "required_date": "12 Dec 10am",
    "attendant_name": "Ramesh Kumar",
    "attendant_phone": "98123 45678",
    "attendant_relation": "3",
    "confirm": "1",
    "change": "6",
}
"""What a family answers at each step; `walk` sends the one for the step it is at."""


def fake_services() -> MemoryServices:
    """Return in-memory services that know one place, by PIN, name or coordinates."""
    return MemoryServices(
        resolve=lambda text: LUCKNOW if text.strip().lower() in {"226003", "lucknow"} else None,
        locate=lambda lat, _lon: LUCKNOW if 8 < lat < 37 else None,
        suggest=lambda text: ["Lucknow", "Lakhimpur"] if text.lower().startswith("lu") else [],
    )


def request_chat(lang: str = "en", phone: str | None = None) -> Chat:
    """Open the request flow from the menu in a fresh chat."""
    chat = Chat(fake_services(), lang=lang, phone=phone)
    chat.say("1")
    assert chat.step == ("request", "patient_name")
    return chat


def walk(chat: Chat, until: str | None = None, **answers: str) -> str:
    """Answer each step (from ANSWERS, or `answers` first) until `until` or the flow ends."""
    text = ""
    for _turn in range(30):
        step = chat.step[1]
        if step is None or step == until:
            return text
        text = chat.say(answers.get(step, ANSWERS[step]))
    raise AssertionError(f"the flow did not reach {until}")


def stored(chat: Chat) -> list[RequestSummary]:
    """Return every request the services hold."""
    return [summary for _owner, summary in chat.services.requests.values()]
