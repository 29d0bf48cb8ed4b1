"""One contract for the flows' services, run on memory, on SQLite and (if set) on PostgreSQL."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from conversations.services import Services
from storage.domain.addresses import Address
from storage.domain.records import Attachment
from storage.memory import MemoryServices
from storage.services import SqlServices
from tests.storage.conftest import migrated_sqlite, postgres_engine, stored_text
from tests.storage.samples import DONOR, LUCKNOW, NOW, REQUEST, FakePlaces

ASHA = Address("telegram", "1001")
RAVI = Address("whatsapp", "+919811122233")


@dataclass
class Backend:
    """Services under test and, for SQL, a way to read every stored value."""

    services: Services
    stored: Callable[[], str] | None = None


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    places = FakePlaces()
    if request.param == "memory":
        yield Backend(MemoryServices(places.resolve, places.from_coordinates, places.suggestions))
        return
    if request.param == "postgresql":
        with postgres_engine() as engine, Session(engine) as session:
            yield Backend(SqlServices(session, places), lambda: stored_text(session))
        return
    engine = migrated_sqlite(tmp_path)
    with Session(engine) as session:
        yield Backend(SqlServices(session, places), lambda: stored_text(session))
    engine.dispose()


def test_places_come_from_the_resolver(backend: Backend) -> None:
    services = backend.services
    assert services.resolve_place("226001") == LUCKNOW
    assert services.place_at(LUCKNOW.latitude, LUCKNOW.longitude) == LUCKNOW
    assert services.place_suggestions("Lukcnow") == ["Lucknow"]


def test_a_saved_profile_comes_back_exactly(backend: Backend) -> None:
    backend.services.save_donor_profile(ASHA, DONOR, NOW)
    loaded = backend.services.donor_profile(ASHA)
    assert loaded == DONOR
    assert loaded is not None and loaded.paused_until is not None
    assert loaded.paused_until.tzinfo is not None


def test_saving_again_replaces_the_profile(backend: Backend) -> None:
    backend.services.save_donor_profile(ASHA, DONOR, NOW)
    corrected = dataclasses.replace(DONOR, name="Asha V.", deferrals=(), last_donation=None,
                                    paused_until=None, place=dataclasses.replace(
                                        LUCKNOW, district="Barabanki"))
    backend.services.save_donor_profile(ASHA, corrected, NOW + timedelta(minutes=1))
    assert backend.services.donor_profile(ASHA) == corrected


def test_a_stranger_has_no_profile_to_change(backend: Backend) -> None:
    assert backend.services.donor_profile(RAVI) is None
    assert backend.services.set_alert_consent(RAVI, False, NOW) is False
    backend.services.set_alerts_paused_until(RAVI, NOW)
    assert backend.services.donor_profile(RAVI) is None


def test_withdrawing_alert_consent_keeps_the_other_consents(backend: Backend) -> None:
    backend.services.save_donor_profile(ASHA, DONOR, NOW)
    later = NOW + timedelta(days=1)
    assert backend.services.set_alert_consent(ASHA, False, later) is True
    consents = backend.services.donor_profile(ASHA).consents  # type: ignore[union-attr]
    assert (consents.registry, consents.alerts, consents.share_phone) == (True, False, False)
    assert consents.recorded_at == later


def test_pausing_and_resuming_alerts(backend: Backend) -> None:
    backend.services.save_donor_profile(ASHA, DONOR, NOW)
    month = NOW + timedelta(days=30)
    backend.services.set_alerts_paused_until(ASHA, month)
    assert backend.services.donor_profile(ASHA).paused_until == month  # type: ignore[union-attr]
    backend.services.set_alerts_paused_until(ASHA, None)
    assert backend.services.donor_profile(ASHA).paused_until is None  # type: ignore[union-attr]


def test_deleting_a_person_forgets_their_profile_and_requests(backend: Backend) -> None:
    services = backend.services
    services.save_donor_profile(ASHA, DONOR, NOW)
    services.create_request(ASHA, REQUEST, NOW)
    services.delete_person(ASHA, NOW + timedelta(minutes=5))
    assert services.donor_profile(ASHA) is None
    assert services.requests_by(ASHA) == []
    assert services.find_recent_request(
        patient_name=REQUEST.patient_name, hospital_name=REQUEST.hospital_name,
        attendant_phone=REQUEST.attendant_phone, since=NOW - timedelta(days=1)) is None
    if backend.stored is not None:
        stored = backend.stored()
        for personal in ("Asha", DONOR.phone, "Sunita", "Ramesh", "9876543210", "bed 12"):
            assert personal not in stored


def test_request_codes_are_short_and_unique(backend: Backend) -> None:
    codes = [backend.services.create_request(ASHA, REQUEST, NOW).code for _ in range(40)]
    assert len(set(codes)) == 40
    assert all(re.fullmatch(r"R-\d{4,5}", code) for code in codes)


def test_a_new_request_is_pending_and_keeps_the_draft(backend: Backend) -> None:
    created = backend.services.create_request(ASHA, REQUEST, NOW)
    assert created.status.value == "pending_verification"
    assert created.draft == REQUEST and created.created_at == NOW
    assert backend.services.requests_by(ASHA) == [created]


def test_a_requisition_slip_is_kept_by_reference_with_the_request(backend: Backend) -> None:
    slip = Attachment("https://api.twilio.com/2010-04-01/Media/ME1", "application/pdf")
    created = backend.services.create_request(ASHA, dataclasses.replace(REQUEST, slip=slip), NOW)
    [listed] = backend.services.requests_by(ASHA)
    assert created.draft.slip == listed.draft.slip == slip
    assert backend.services.requests_by(RAVI) == []


def find(services: Services, since_hours: float, phone: str = REQUEST.attendant_phone,
         patient: str = REQUEST.patient_name) -> str | None:
    found = services.find_recent_request(
        patient_name=patient, hospital_name=REQUEST.hospital_name.upper(),
        attendant_phone=phone, since=NOW - timedelta(hours=since_hours))
    return None if found is None else found.code


def test_a_recent_duplicate_request_is_found(backend: Backend) -> None:
    code = backend.services.create_request(ASHA, REQUEST, NOW - timedelta(hours=2)).code
    assert find(backend.services, 3, patient="sunita devi") == code
    assert find(backend.services, 1) is None
    assert find(backend.services, 3, phone="+919800000001") is None
    assert find(backend.services, 3, patient="Sunil Dev") is None


def test_requests_are_listed_newest_first_per_address(backend: Backend) -> None:
    services = backend.services
    old = services.create_request(ASHA, REQUEST, NOW - timedelta(days=2)).code
    new = services.create_request(ASHA, REQUEST, NOW).code
    middle = services.create_request(ASHA, REQUEST, NOW - timedelta(days=1)).code
    services.create_request(RAVI, REQUEST, NOW)
    assert [s.code for s in services.requests_by(ASHA)] == [new, middle, old]
    assert len(services.requests_by(RAVI)) == 1


class LowestDigits(random.Random):
    """Always draw the lowest code of each width, so every draw after the first clashes."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        return start


def test_codes_grow_a_digit_when_the_short_ones_clash(session: Session) -> None:
    services = SqlServices(session, FakePlaces(), rng=LowestDigits())
    codes = [services.create_request(ASHA, REQUEST, NOW).code for _ in range(3)]
    assert codes == ["R-1000", "R-10000", "R-100000"]
