"""The soak's people: donors and families with their answers, and admins who approve requests."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from bench.soak_chat import Script, States, Webhook, converse
from tests.handlers.fake_bot_api import contact

FIRST = ("Asha", "Ravi", "Sunita", "Vikas", "Meena", "Anil", "Pooja", "Rahul", "Kavita", "Suresh",
         "Neha", "Amit", "Geeta", "Manoj", "Rekha", "Deepak", "Anita", "Sanjay", "Priya", "Rakesh")
MIDDLE = ("Kumar", "Devi", "Prasad", "Rani", "Nath", "Lal", "Bai", "Chandra", "Mohan", "Kumari",
          "Shankar", "Lata", "Prakash", "Bala", "Dev", "Rani", "Raj", "Wati", "Narayan", "Sri")
LAST = ("Verma", "Sharma", "Yadav", "Gupta", "Singh", "Mishra", "Pandey", "Tiwari", "Shukla",
        "Saxena", "Srivastava", "Dubey", "Tripathi", "Jaiswal", "Chauhan", "Agarwal", "Rastogi",
        "Nigam", "Bajpai", "Kushwaha")
HOSPITALS = (("Swaroop Rani Nehru Hospital", "211001"), ("KGMU Trauma Centre", "226003"))
"""Where the families' patients are: Prayagraj and Lucknow."""
DONOR_PINS = ("211001", "211002", "211003", "211004", "226001", "226003", "226004", "226010",
              "110001")
"""Donors live near the hospitals (within 10 km), except New Delhi's, who are never alerted."""
GROUPS = ("O+", "O+", "B+", "B+", "A+", "A+", "AB+", "O-", "B-", "A-")
ADMIN_PAIRS = 5
"""Pairs of super-admins: an attendant's first request needs two different admins' checks."""
ADMIN_CHAT = 900_000
APPROVAL = {"called_ward": "y", "slip_seen": "y", "name_matches": "y", "note": "skip"}


def person_name(index: int) -> str:
    """Return a name that no smaller index gets (unique for 8,000 people)."""
    return f"{FIRST[index % 20]} {MIDDLE[index // 20 % 20]} {LAST[index // 400 % 20]}"


@dataclass(frozen=True)
class Donor:
    """A donor who signs up, and what they answer."""

    chat: int
    name: str
    phone: str  # ten digits, as typed
    group: str
    sex: str  # "m" or "f", as stored
    age: int
    pin: str
    language: str

    def script(self) -> Script:
        """Return the sign-up answers, step by step."""
        answers = {"registry": "y", "alerts": "y", "share_phone": "y", "name": self.name,
                   "phone": self.phone, "blood_group": self.group,
                   "sex": "male" if self.sex == "m" else "female", "birth": str(self.age),
                   "weight": "y", "location": self.pin, "last_donation": "never",
                   "deferrals": "none", "availability": "1", "summary": "ok"}
        return Script("/start donate", "signup", answers, self.language)


@dataclass(frozen=True)
class Family:
    """An attendant who files a blood request, and what they answer."""

    chat: int
    patient: str
    age: int
    group: str
    units: int
    hospital: str
    pin: str
    attendant: str
    phone: str  # ten digits, as typed
    language: str

    def script(self) -> Script:
        """Return the request answers, step by step."""
        answers = {"patient_name": self.patient, "patient_age": str(self.age),
                   "patient_sex": "female", "blood_group": self.group, "component": "prbc",
                   "units": str(self.units), "kind": "replacement",
                   "hospital_name": self.hospital, "hospital_place": self.pin, "ward": "skip",
                   "slip": "skip", "required_by": "urgent", "attendant_name": self.attendant,
                   "attendant_phone": self.phone, "attendant_relation": "son", "confirm": "yes"}
        return Script("/start request", "request", answers, self.language)


def invent(users: int, rng: random.Random) -> list[Donor | Family]:
    """Invent `users` people: about 70% donors, 30% families; a fifth of them speak Hindi."""
    people: list[Donor | Family] = []
    for index in range(users):
        chat, language = 100_000 + index, "hi" if rng.random() < 0.2 else "en"
        if rng.random() < 0.7:
            people.append(Donor(chat, person_name(index), f"98{index:08d}", rng.choice(GROUPS),
                                rng.choice("mf"), rng.randint(19, 60), rng.choice(DONOR_PINS),
                                language))
        else:
            hospital, pin = rng.choice(HOSPITALS)
            people.append(Family(chat, person_name(index), rng.randint(1, 90),
                                 rng.choice(GROUPS), rng.randint(1, 3), hospital, pin,
                                 person_name(index + 4000), f"97{index:08d}", language))
    return people


def admin_phone(index: int) -> str:
    """Return the E.164 phone of admin number `index` (ADMIN_PHONES lists them all)."""
    return f"+9190000{index + 1:05d}"


@dataclass
class Approvals:
    """Codes waiting for each admin pair, and what the admins managed."""

    pairs: int = ADMIN_PAIRS
    done: dict[str, int] = field(default_factory=dict)  # code -> approvals answered 200
    refused: list[str] = field(default_factory=list)  # "/approve" did not open the checklist
    filed: int = 0
    first: list[asyncio.Queue[str | None]] = field(init=False)
    """Each pair's first admin's inbox."""

    def __post_init__(self) -> None:
        self.first = [asyncio.Queue() for _ in range(self.pairs)]

    def file(self, code: str) -> None:
        """Hand a filed request to the next pair."""
        self.first[self.filed % self.pairs].put_nowait(code)
        self.filed += 1

    def close(self) -> None:
        """Tell every pair that no more requests will come."""
        for queue in self.first:
            queue.put_nowait(None)


async def admin_desk(webhook: Webhook, states: States, approvals: Approvals, index: int,
                     inbox: asyncio.Queue[str | None],
                     outbox: asyncio.Queue[str | None] | None) -> None:
    """Sign an admin in (language, then their own contact) and approve each code in turn."""
    chat = ADMIN_CHAT + index
    await webhook.say(chat, "/start")
    await webhook.say(chat, "en")
    await webhook.deliver(chat, contact(chat, admin_phone(index), owner=chat))
    while (code := await inbox.get()) is not None:
        script = Script(f"/approve {code}", "approve", APPROVAL)
        if await converse(webhook, states, chat, script, (0.0, 0.0)):
            approvals.done[code] = approvals.done.get(code, 0) + 1
        else:
            approvals.refused.append(f"{code} by admin {index}")
        if outbox is not None:
            outbox.put_nowait(code)
    if outbox is not None:
        outbox.put_nowait(None)


def admin_desks(webhook: Webhook, states: States,
                approvals: Approvals) -> list[asyncio.Task[None]]:
    """Start two desks per pair: the second admin checks what the first approved."""
    tasks = []
    for pair, inbox in enumerate(approvals.first):
        second: asyncio.Queue[str | None] = asyncio.Queue()
        tasks.append(asyncio.create_task(
            admin_desk(webhook, states, approvals, 2 * pair, inbox, second)))
        tasks.append(asyncio.create_task(
            admin_desk(webhook, states, approvals, 2 * pair + 1, second, None)))
    return tasks


async def live(webhook: Webhook, states: States, person: Donor | Family, approvals: Approvals,
               start: float, think: tuple[float, float]) -> bool:
    """Play one person from a random start: converse, and hand a filed request to the admins."""
    await asyncio.sleep(start)
    if not await converse(webhook, states, person.chat, person.script(), think):
        return False
    if isinstance(person, Family):
        code = await states.request_code(person.chat)
        if code is None:
            webhook.traffic.stuck.append(f"{person.chat} finished but filed no request")
            return False
        approvals.file(code)
    return True
