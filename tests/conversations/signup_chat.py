"""A chat primed for the donor sign-up flow, with a fake place and a typical donor's answers."""

from __future__ import annotations

from storage.domain.places import Place
from storage.domain.records import DonorProfile
from storage.memory import MemoryServices
from tests.conversations.chat import Chat

LUCKNOW = Place(26.85, 80.95, "Lucknow", "Uttar Pradesh", "226003",
                "Lucknow, Uttar Pradesh 226003")

ANSWERS: dict[str, str] = {
    "registry": "1",
    "alerts": "1",
    "share_phone": "1",
    "name": "Asha Verma",
    "phone": "98123 45678",
    "blood_group": "b positive",
    "sex": "2",
    "birth": "25/01/1990",
    "weight": "1",
    "location": "226003",
    "last_donation": "15/10/2026",
    "component": "1",
    "deferrals": "8",
    "deferral_date": "10/03/2026",
    "availability": "1",
    "summary": "1",
    "change": "12",
}
"""What a donor answers at each step; `walk` sends the one for the step it is at."""


def fake_services() -> MemoryServices:
    """Return in-memory services that know one place, by PIN, name or coordinates."""
    return MemoryServices(
        resolve=lambda text: LUCKNOW if text.strip().lower() in {"226003", "lucknow"} else None,
        locate=lambda lat, _lon: LUCKNOW if 8 < lat < 37 else None,
        suggest=lambda text: ["Lucknow", "Lakhimpur"] if text.lower().startswith("lu") else [],
    )


def signup_chat(lang: str = "en", phone: str | None = None,
                services: MemoryServices | None = None) -> Chat:
    """Open the sign-up flow from the menu in a fresh chat."""
    chat = Chat(services or fake_services(), lang=lang, phone=phone)
    chat.say("2")
    assert chat.step[0] == "signup"
    return chat


def walk(chat: Chat, until: str | None = None, **answers: str) -> str:
    """Answer each step (from `answers` first, else ANSWERS) until `until` or the flow ends."""
    text = ""
    for _turn in range(40):
        step = chat.step[1]
        if step is None or step == until:
            return text
        text = chat.say(answers.get(step, ANSWERS[step]))
    raise AssertionError(f"the flow did not reach {until}")


def saved(chat: Chat) -> DonorProfile:
    """Return the profile stored for the chat's address."""
    return chat.services.donors[chat.address.key]


def registered(lang: str = "en", **answers: str) -> Chat:
    """Return a chat whose user has just completed sign-up."""
    chat = signup_chat(lang)
    walk(chat, **answers)
    assert chat.address.key in chat.services.donors
    return chat
