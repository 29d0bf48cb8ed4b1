"""What donors do after an alert: answer, pledge, withdraw, donate, or not show up.

Every function works inside the caller's transaction and never commits.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.broadcast_tables import DonorAlert, Pledge
from storage.db import insert_unless_exists
from storage.domain.broadcast import (
    BROADCASTING_STATUSES,
    COUNTED_PLEDGES,
    DEFAULT_BROADCAST_RULES,
    AlertResponse,
    BroadcastRules,
    PledgeStatus,
)
from storage.domain.eligibility import DonationKind
from storage.domain.records import RequestStatus
from storage.donor_index import refresh_donor_index
from storage.tables import BloodRequest, DonationRow, Donor

_UNANSWERED = (AlertResponse.NONE.value, AlertResponse.IGNORED.value)
CONFIRMED = "confirmed"
"""`DonationRow.source` of a donation the blood centre or an admin confirmed."""


def request_id_of(session: Session, request_code: str) -> int:
    """Return the id of request `request_code`; raise LookupError if it is unknown."""
    found = session.exec(select(BloodRequest.id).where(BloodRequest.code == request_code)).first()
    if found is None:
        raise LookupError(f"no request {request_code}")
    return found


def respond(session: Session, *, request_code: str, person_id: int, response: AlertResponse,
            now: datetime) -> bool:
    """Record the donor's answer to their alert; False when they were never alerted."""
    done = session.exec(
        update(DonorAlert)
        .where(col(DonorAlert.request_id) == request_id_of(session, request_code),
               col(DonorAlert.person_id) == person_id)
        .values(response=response.value, responded_at=now)).rowcount == 1
    if done and response is not AlertResponse.IGNORED:
        session.exec(update(Donor).where(col(Donor.person_id) == person_id)
                     .values(ignored_in_row=0))
    return done


def pledge(session: Session, *, request_code: str, person_id: int, eta: datetime,
           now: datetime) -> bool:
    """Record (or renew) the donor's promise to come by `eta`; False if the request is closed."""
    row = session.exec(select(BloodRequest).where(BloodRequest.code == request_code)).first()
    if row is None or row.id is None or RequestStatus(row.status) not in BROADCASTING_STATUSES:
        return False
    values = {"request_id": row.id, "person_id": person_id, "eta": eta,
              "status": PledgeStatus.ACTIVE.value, "created_at": now, "updated_at": now}
    if not insert_unless_exists(session, Pledge, values, key=("request_id", "person_id")):
        session.exec(
            update(Pledge).where(col(Pledge.request_id) == row.id,
                                 col(Pledge.person_id) == person_id)
            .values(eta=eta, status=PledgeStatus.ACTIVE.value, updated_at=now))
    respond(session, request_code=request_code, person_id=person_id,
            response=AlertResponse.PLEDGED, now=now)
    return True


def withdraw_pledge(session: Session, *, request_code: str, person_id: int,
                    now: datetime) -> bool:
    """Withdraw the donor's active pledge; False when there was none."""
    return _move_pledge(session, request_code, person_id, {PledgeStatus.ACTIVE},
                        PledgeStatus.WITHDRAWN, now)


def mark_no_show(session: Session, *, request_code: str, person_id: int, now: datetime) -> bool:
    """Record that a donor who pledged never came; False when they had no active pledge."""
    return _move_pledge(session, request_code, person_id, {PledgeStatus.ACTIVE},
                        PledgeStatus.NO_SHOW, now)


def pledged_units(session: Session, request_code: str) -> int:
    """Count the pledges that still count toward the request's units (active or donated)."""
    return session.exec(
        select(func.count()).select_from(Pledge)
        .where(col(Pledge.request_id) == request_id_of(session, request_code),
               col(Pledge.status).in_([s.value for s in COUNTED_PLEDGES]))).one()


def no_show_count(session: Session, person_id: int) -> int:
    """Count the pledges this donor did not keep."""
    return session.exec(
        select(func.count()).select_from(Pledge)
        .where(Pledge.person_id == person_id, Pledge.status == PledgeStatus.NO_SHOW.value)).one()


def mark_ignored_alerts(session: Session, *, before: datetime, now: datetime,
                        rules: BroadcastRules = DEFAULT_BROADCAST_RULES) -> list[int]:
    """Count alerts unanswered since `before` as ignored; return the donors paused for it.

    A donor whose alerts were ignored `rules.ignored_in_row_to_pause` times in a row (any
    answer resets the count) is paused for `rules.auto_pause_days`; the caller sends them a
    check-in message. One UPDATE … RETURNING claims the alerts, so no alert counts twice.
    """
    marked = session.exec(
        update(DonorAlert)
        .where(col(DonorAlert.response) == AlertResponse.NONE.value,
               col(DonorAlert.created_at) <= before)
        .values(response=AlertResponse.IGNORED.value)
        .returning(col(DonorAlert.person_id), col(DonorAlert.created_at))).all()
    answered = dict(session.exec(
        select(col(DonorAlert.person_id), func.max(col(DonorAlert.created_at)))
        .where(col(DonorAlert.person_id).in_({pid for pid, _ in marked}),
               col(DonorAlert.response).not_in(_UNANSWERED))
        .group_by(col(DonorAlert.person_id))).all())
    # Only alerts after the donor's latest answered one continue their run of ignored ones.
    ignored = Counter(pid for pid, at in marked if pid not in answered or at > answered[pid])
    for person_id, count in ignored.items():
        session.exec(update(Donor).where(col(Donor.person_id) == person_id)
                     .values(ignored_in_row=col(Donor.ignored_in_row) + count))
    tired = session.exec(select(Donor).where(
        col(Donor.person_id).in_(list(ignored)),
        col(Donor.ignored_in_row) >= rules.ignored_in_row_to_pause)).all()
    until = now + timedelta(days=rules.auto_pause_days)
    for donor in tired:
        donor.ignored_in_row = 0
        donor.paused_until = max(donor.paused_until or until, until)
        session.add(donor)
    session.flush()
    return sorted(donor.person_id for donor in tired)


def record_donation(session: Session, *, person_id: int, request_code: str | None, on: date,
                    kind: DonationKind, now: datetime) -> None:
    """Record a confirmed donation: it counts for the request and moves the donor's next day."""
    request_id = None if request_code is None else request_id_of(session, request_code)
    known = session.exec(select(DonationRow.id).where(
        DonationRow.person_id == person_id, DonationRow.request_id == request_id,
        DonationRow.donated_on == on, DonationRow.kind == kind.value)).first()
    if known is None:
        session.add(DonationRow(person_id=person_id, request_id=request_id, donated_on=on,
                                kind=kind.value, source=CONFIRMED, recorded_at=now))
    if request_code is not None:
        _move_pledge(session, request_code, person_id,
                     {PledgeStatus.ACTIVE, PledgeStatus.NO_SHOW}, PledgeStatus.DONATED, now)
    donor = session.get(Donor, person_id)
    if donor is not None and (donor.last_donation_on is None or donor.last_donation_on <= on):
        donor.last_donation_on, donor.last_donation_kind = on, kind.value
        session.add(donor)
    refresh_donor_index(session, person_id, now)


def _move_pledge(session: Session, request_code: str, person_id: int,
                 allowed: set[PledgeStatus], target: PledgeStatus, now: datetime) -> bool:
    return session.exec(
        update(Pledge)
        .where(col(Pledge.request_id) == request_id_of(session, request_code),
               col(Pledge.person_id) == person_id,
               col(Pledge.status).in_([s.value for s in allowed]))
        .values(status=target.value, updated_at=now)).rowcount == 1
