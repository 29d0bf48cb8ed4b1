"""Admin services under test, in memory and on SQL, with a way to give an address a phone."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from conversations.admin_services import AdminServices
from conversations.services import Services
from storage.admin import SqlAdminServices
from storage.domain.addresses import Address
from storage.domain.admin import Checklist, Grant, Role
from storage.domain.places import Place
from storage.memory import MemoryServices
from storage.memory_admin import MemoryAdminServices
from storage.services import SqlServices
from storage.turns import remember_address
from tests.storage.conftest import migrated_sqlite, postgres_engine
from tests.storage.samples import NOW, REQUEST, FakePlaces

CHECKED = Checklist(called_ward=True, slip_seen=True, name_matches=True, note="spoke to nurse")
SUPER = Address("telegram", "9001")
LUCKNOW_ADMIN = Address("whatsapp", "+919800000002")
OTHER_ADMIN = Address("telegram", "9003")
STRANGER = Address("telegram", "9004")
FAMILY = Address("telegram", "1001")
ELSEWHERE = Place(27.17, 78.0, "Agra", "Uttar Pradesh", None, "Agra")
PHONES = {SUPER: "+919800000001", LUCKNOW_ADMIN: "+919800000002",
          OTHER_ADMIN: "+919800000003", STRANGER: "+919800000004"}


@dataclass
class Backend:
    """The flows' services and the admin services on one store."""

    services: Services
    admin: AdminServices
    link: Callable[[Address, str], None]

    def setup_admins(self) -> None:
        """Link phones, grant roles, and file (and close) the family's earlier request."""
        for address, phone in PHONES.items():
            self.link(address, phone)
        self.admin.grant(Grant(PHONES[SUPER], Role.SUPER_ADMIN), SUPER, NOW)
        self.admin.grant(Grant(PHONES[LUCKNOW_ADMIN], Role.DISTRICT_ADMIN,
                               frozenset({"LUCKNOW"})), SUPER, NOW)
        self.admin.grant(Grant(PHONES[OTHER_ADMIN], Role.VERIFIER, frozenset({"Barabanki"})),
                         SUPER, NOW)
        past = dataclasses.replace(REQUEST, hospital_place=ELSEWHERE)
        old = self.services.create_request(FAMILY, past, NOW - timedelta(days=30)).code
        self.admin.close(old, SUPER, NOW - timedelta(days=29))

    def file(self, when: datetime = NOW, **changes: Any) -> str:
        """File a request (not the attendant's first) and return its code."""
        draft = dataclasses.replace(REQUEST, **changes)
        return self.services.create_request(FAMILY, draft, when).code

    def first(self, when: datetime = NOW, **changes: Any) -> str:
        """File a request from an attendant phone never seen before."""
        draft = dataclasses.replace(REQUEST, attendant_phone="+919811111111",
                                    **changes)
        return self.services.create_request(FAMILY, draft, when).code


def memory_backend() -> Backend:
    """Build the in-memory pair."""
    places = FakePlaces()
    base = MemoryServices(places.resolve, places.from_coordinates, places.suggestions)
    admin = MemoryAdminServices(base)
    return Backend(base, admin, admin.link)


def sql_backend(session: Session) -> Backend:
    """Build the SQL pair on one session; a link is a channel-verified phone."""
    def link(address: Address, phone: str) -> None:
        remember_address(session, address, now=NOW, phone=phone, display_name=None)
    return Backend(SqlServices(session, FakePlaces()), SqlAdminServices(session), link)


def backends(kind: str, tmp_path: Path) -> Iterator[Backend]:
    """Yield one backend of `kind`: memory, sqlite or postgresql."""
    if kind == "memory":
        yield memory_backend()
        return
    if kind == "postgresql":
        with postgres_engine() as engine, Session(engine) as session:
            yield sql_backend(session)
        return
    engine = migrated_sqlite(tmp_path)
    with Session(engine) as session:
        yield sql_backend(session)
    engine.dispose()
