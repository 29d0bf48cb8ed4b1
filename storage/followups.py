"""Follow-ups on the database: outcome questions, still-needed checks, expiry and reminders.

Every function works inside the caller's transaction and never commits. A follow-up row's
unique key makes each question or reminder exist once, however many processes tick.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast import schedule_wave
from storage.broadcast_resume import resume_broadcast, resume_radius
from storage.broadcast_tables import BroadcastWave, DonorAlert, Pledge
from storage.db import insert_unless_exists
from storage.domain.addresses import Address
from storage.domain.blood import Component
from storage.domain.broadcast import (
    BROADCASTING_STATUSES,
    PledgeStatus,
    donation_kind_for,
)
from storage.domain.followups import (
    DEFAULT_FOLLOWUP_RULES,
    Ask,
    Closed,
    DonationAnswer,
    FollowupKind,
    FollowupRules,
)
from storage.domain.records import CLOSED_STATUSES, RequestStatus
from storage.donor_index import NEVER
from storage.followup_tables import FollowUp
from storage.responses import mark_no_show, record_donation
from storage.tables import AddressRow, BloodRequest, Donor, Person

SYSTEM = "system"
OPEN = [s.value for s in RequestStatus if s not in CLOSED_STATUSES]


def _new(session: Session, *, kind: FollowupKind, key: str, address_key: str, due_at: datetime,
         request_id: int | None = None, person_id: int | None = None,
         sent_at: datetime | None = None) -> int | None:
    """Insert a follow-up unless its key exists; return its id when it is new."""
    values = {"key": f"{kind.value}:{key}", "kind": kind.value, "request_id": request_id,
              "person_id": person_id, "address_key": address_key, "due_at": due_at,
              "sent_at": sent_at}
    if not insert_unless_exists(session, FollowUp, values, key=("key",)):
        return None
    return session.exec(select(FollowUp.id).where(FollowUp.key == values["key"])).one()


def due_outcome_asks(session: Session, *, now: datetime,
                     rules: FollowupRules = DEFAULT_FOLLOWUP_RULES) -> list[Ask]:
    """Ask donor and attendant about every active pledge whose time has passed, once."""
    cutoff = now - timedelta(minutes=rules.outcome_after_minutes)
    rows = session.exec(
        select(Pledge, BloodRequest, Person, Donor)
        .join(BloodRequest, col(BloodRequest.id) == col(Pledge.request_id))
        .join(Person, col(Person.id) == col(Pledge.person_id))
        .join(Donor, col(Donor.person_id) == col(Pledge.person_id))
        .join(DonorAlert, (col(DonorAlert.request_id) == col(Pledge.request_id))
              & (col(DonorAlert.person_id) == col(Pledge.person_id)))
        .where(col(Pledge.status) == PledgeStatus.ACTIVE.value, col(Pledge.eta) <= cutoff)).all()
    asks: list[Ask] = []
    for pledge, request, person, donor in rows:
        donor_key = _alert_address(session, pledge.request_id, pledge.person_id)
        if donor_key is None or request.requester_address_key is None:
            continue
        subject = f"{request.code}:{pledge.person_id}"
        both = ((FollowupKind.DONOR_OUTCOME, donor_key, donor.language),
                (FollowupKind.ATTENDANT_OUTCOME, request.requester_address_key,
                 request.language))
        for kind, key, lang in both:
            ticket = _new(session, kind=kind, key=subject, address_key=key, due_at=now,
                          request_id=request.id, person_id=pledge.person_id, sent_at=now)
            if ticket is not None:
                asks.append(Ask(kind, ticket, Address.from_key(key), lang, request.code,
                                request.hospital_name, person.name.split(" ")[0],
                                pledge.person_id))
    return asks


def due_still_needed(session: Session, *, now: datetime,
                     rules: FollowupRules = DEFAULT_FOLLOWUP_RULES) -> list[Ask]:
    """Ask the attendant of each broadcast request near its required-by time, once per time."""
    soon = now + timedelta(minutes=rules.still_needed_before_minutes)
    rows = session.exec(select(BloodRequest).where(
        col(BloodRequest.status).in_([s.value for s in BROADCASTING_STATUSES]),
        col(BloodRequest.required_by) <= soon)).all()
    asks = []
    for row in rows:
        if row.requester_address_key is None:
            continue
        ticket = _new(session, kind=FollowupKind.STILL_NEEDED,
                      key=f"{row.code}:{row.required_by.isoformat()}",
                      address_key=row.requester_address_key, due_at=now, request_id=row.id,
                      sent_at=now)
        if ticket is not None:
            asks.append(Ask(FollowupKind.STILL_NEEDED, ticket,
                            Address.from_key(row.requester_address_key), row.language,
                            row.code, row.hospital_name))
    return asks


def expire_overdue(session: Session, *, now: datetime,
                   rules: FollowupRules = DEFAULT_FOLLOWUP_RULES) -> list[Closed]:
    """Expire open requests whose required-by time plus the grace has passed."""
    cutoff = now - timedelta(hours=rules.expire_grace_hours)
    rows = session.exec(select(BloodRequest).where(
        col(BloodRequest.status).in_(OPEN), col(BloodRequest.required_by) <= cutoff)).all()
    return [closed for row in rows
            if (closed := _close(session, row, RequestStatus.EXPIRED, SYSTEM, now))]


def close_by_requester(session: Session, *, code: str, requester: Address,
                       status: RequestStatus, now: datetime) -> Closed | None:
    """Close the sender's own open request as fulfilled or cancelled; None if not theirs."""
    row = _own_request(session, code, requester)
    return None if row is None else _close(session, row, status, requester.key, now)


def still_needed(session: Session, *, code: str, requester: Address, now: datetime,
                 rules: FollowupRules = DEFAULT_FOLLOWUP_RULES) -> datetime | None:
    """Move the request's required-by on and broadcast again; None if it is not theirs."""
    row = _own_request(session, code, requester)
    if row is None or RequestStatus(row.status) not in BROADCASTING_STATUSES:
        return None
    row.required_by = max(row.required_by, now) + timedelta(hours=rules.extend_hours)
    row.updated_at = now
    session.add(row)
    waves = session.exec(select(BroadcastWave).where(BroadcastWave.request_id == row.id)).all()
    if all(wave.finished_at is not None for wave in waves):
        number = len(waves) + 1
        schedule_wave(session, request_code=code, number=number,
                      radius_km=resume_radius(number), due_at=now)
    audit.record(session, actor=requester.key, action="request.still_needed",
                 subject=f"request:{code}", detail={}, now=now)
    session.flush()
    return row.required_by


def answer_outcome(session: Session, *, code: str, sender: Address, donated: bool,
                   now: datetime, tz: tzinfo, donor_person: int | None = None,
                   rules: FollowupRules = DEFAULT_FOLLOWUP_RULES) -> DonationAnswer | None:
    """Record a donor's own answer, or the attendant's about `donor_person`; None if not asked.

    Yes records the donation (it moves the donor's next eligible day) and schedules the
    "donate again" reminder; no counts a no-show. Each question is answered once.
    """
    person_id = _person_of(session, sender) if donor_person is None else donor_person
    kind = FollowupKind.DONOR_OUTCOME if donor_person is None else FollowupKind.ATTENDANT_OUTCOME
    asked = session.exec(select(FollowUp).where(
        FollowUp.key == f"{kind.value}:{code}:{person_id}",
        FollowUp.address_key == sender.key)).first()
    request = session.exec(select(BloodRequest).where(BloodRequest.code == code)).first()
    if asked is None or request is None or person_id is None or asked.answered_at is not None:
        return None
    asked.answered_at, asked.answer = now, "yes" if donated else "no"
    session.add(asked)
    donor_key = _alert_address(session, request.id, person_id)
    language = session.exec(select(Donor.language).where(Donor.person_id == person_id)).first()
    answer = DonationAnswer(code, request.hospital_name, donated,
                            Address.from_key(donor_key) if donor_key else None, language or "en")
    if not donated:
        if mark_no_show(session, request_code=code, person_id=person_id, now=now):
            resume_broadcast(session, code, now)
        return answer
    pledge = session.exec(select(Pledge).where(Pledge.request_id == request.id,
                                               Pledge.person_id == person_id)).first()
    on = min(pledge.eta if pledge else now, now).astimezone(tz).date()
    kind_given = donation_kind_for(Component(request.component))
    record_donation(session, person_id=person_id, request_code=code, on=on, kind=kind_given,
                    now=now)
    again = _schedule_reminder(session, person_id, donor_key, kind_given.value, tz, rules)
    thanked = donor_person is not None and _said_yes(session, FollowupKind.DONOR_OUTCOME,
                                                     code, person_id)
    return DonationAnswer(code, request.hospital_name, True,
                          None if thanked else answer.donor, answer.donor_language, again)


def due_reminders(session: Session, *, now: datetime, tz: tzinfo) -> list[Ask]:
    """Claim the "you can donate again" reminders that are due; each is returned once."""
    claimed = session.exec(
        update(FollowUp)
        .where(col(FollowUp.kind) == FollowupKind.ELIGIBLE_AGAIN.value,
               col(FollowUp.sent_at).is_(None), col(FollowUp.due_at) <= now)
        .values(sent_at=now)
        .returning(col(FollowUp.id), col(FollowUp.person_id), col(FollowUp.address_key),
                   col(FollowUp.due_at))).all()
    asks = []
    for ticket, person_id, key, due in claimed:
        lang = session.exec(select(Donor.language).where(Donor.person_id == person_id)).first()
        asks.append(Ask(FollowupKind.ELIGIBLE_AGAIN, ticket, Address.from_key(key),
                        lang or "en", on=due.astimezone(tz).date()))
    return asks


def resume_alerts(session: Session, address: Address) -> bool:
    """Lift a pause on the donor's alerts; False when they are not a donor."""
    person_id = _person_of(session, address)
    done = person_id is not None and session.exec(
        update(Donor).where(col(Donor.person_id) == person_id)
        .values(paused_until=None, ignored_in_row=0)).rowcount == 1
    return bool(done)


def donor_contacts(session: Session, person_ids: list[int]) -> list[tuple[Address, str]]:
    """Return each donor's most recently used address and language, for check-in messages."""
    found = []
    for person_id in person_ids:
        key = session.exec(
            select(AddressRow.key).where(AddressRow.person_id == person_id,
                                         col(AddressRow.unreachable_at).is_(None))
            .order_by(col(AddressRow.last_inbound_at).desc())).first()
        lang = session.exec(select(Donor.language).where(Donor.person_id == person_id)).first()
        if key is not None:
            found.append((Address.from_key(key), lang or "en"))
    return found


def _schedule_reminder(session: Session, person_id: int, donor_key: str | None, kind: str,
                       tz: tzinfo, rules: FollowupRules) -> date | None:
    donor = session.get(Donor, person_id)
    if donor is None or donor_key is None:
        return None
    day = donor.apheresis_from if kind == "apheresis" else donor.eligible_from
    if day is None or day == NEVER:
        return None
    due = datetime.combine(day, time(rules.reminder_hour), tzinfo=tz)
    if session.exec(select(FollowUp.id).where(  # the donor and the attendant both said yes
            FollowUp.person_id == person_id, FollowUp.kind == FollowupKind.ELIGIBLE_AGAIN.value,
            FollowUp.due_at == due)).first() is not None:
        return day
    count = session.exec(select(func.count()).select_from(FollowUp).where(
        FollowUp.person_id == person_id,
        FollowUp.kind == FollowupKind.ELIGIBLE_AGAIN.value)).one()
    _new(session, kind=FollowupKind.ELIGIBLE_AGAIN, key=f"{person_id}:{day.isoformat()}:{count}",
         address_key=donor_key, due_at=due, person_id=person_id)
    return day


def _said_yes(session: Session, kind: FollowupKind, code: str, person_id: int) -> bool:
    """Tell whether the question of `kind` about this donor and request was answered yes."""
    answer = session.exec(select(FollowUp.answer).where(
        FollowUp.key == f"{kind.value}:{code}:{person_id}")).first()
    return answer == "yes"


def _alert_address(session: Session, request_id: int | None, person_id: int) -> str | None:
    return session.exec(select(DonorAlert.address_key).where(
        DonorAlert.request_id == request_id, DonorAlert.person_id == person_id)).first()


def _person_of(session: Session, address: Address) -> int | None:
    return session.exec(select(AddressRow.person_id).where(AddressRow.key == address.key)).first()


def _own_request(session: Session, code: str, requester: Address) -> BloodRequest | None:
    return session.exec(select(BloodRequest).where(
        BloodRequest.code == code,
        BloodRequest.requester_address_key == requester.key)).first()


def _close(session: Session, row: BloodRequest, status: RequestStatus, actor: str,
           now: datetime) -> Closed | None:
    """Compare-and-set an open request to `status`; None when it already was closed."""
    done = session.exec(
        update(BloodRequest)
        .where(col(BloodRequest.id) == row.id, col(BloodRequest.status).in_(OPEN))
        .values(status=status.value, status_changed_at=now, status_changed_by=actor,
                updated_at=now)).rowcount == 1
    if not done:
        return None
    audit.record(session, actor=actor, action=f"request.{status.value}",
                 subject=f"request:{row.code}", detail={}, now=now)
    requester = row.requester_address_key
    return Closed(row.code, status, Address.from_key(requester) if requester else None,
                  row.language)
