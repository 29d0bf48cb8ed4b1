"""Admin commands on the database, inside the caller's transaction (never committing).

Every change to a request is one `UPDATE … WHERE id = :id AND status = :seen` (approvals also
match the approval count seen): when two admins act at once, the database lets exactly one
update through, and the other re-reads the request to say what happened.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage import admin_roles, audit
from storage.admin_requests import (
    ADMIN_OPEN,
    EDIT_COLUMNS,
    column_value,
    is_first_request,
    load_request,
    request_subject,
    view_of,
)
from storage.domain.addresses import Address
from storage.domain.admin import (
    ActionResult,
    AdminView,
    AuditLine,
    Change,
    Checklist,
    Contact,
    EditField,
    EditResult,
    EditValue,
    Grant,
    Outcome,
    Stats,
    edit_value_fits,
    second_check_reasons,
    shown,
)
from storage.domain.records import CLOSED_STATUSES, RequestStatus
from storage.request_rows import summary_of
from storage.tables import BloodRequest, Donor, RequestApproval, RequestReport
from storage.turns import ensure_address

PENDING = RequestStatus.PENDING_VERIFICATION
CAS_TRIES = 3
"""Re-reads allowed when another admin's first approval lands between our read and write."""


class SqlAdminServices:
    """Implement `conversations.admin_services.AdminServices` on `storage.tables`."""

    def __init__(self, session: Session) -> None:
        """Work inside `session`; flush when needed, never commit."""
        self.session = session

    def grant_of(self, address: Address) -> Grant | None:
        """Return the role of the person behind `address`, by their verified phone."""
        return admin_roles.grant_of(self.session, address)

    def grant(self, grant: Grant, by: Address, now: datetime) -> None:
        """Give (or replace) the role of `grant.phone`."""
        admin_roles.store_grant(self.session, grant, by.key, now)

    def revoke(self, phone: str, by: Address, now: datetime) -> bool:
        """Take away the role of `phone`; False when it had none."""
        gone = admin_roles.remove_grant(self.session, phone)
        if gone:
            audit.record(self.session, actor=by.key, action="admin.revoked",
                         subject=f"admin:{phone}", detail={}, now=now)
        return gone

    def bootstrap_super_admins(self, phones: Iterable[str], now: datetime) -> None:
        """Make these phones super-admins unless they already are (ADMIN_PHONES)."""
        admin_roles.bootstrap(self.session, phones, now)

    def is_blocked(self, phone: str) -> bool:
        """Tell whether `phone` is blocked from signing up and filing requests."""
        return admin_roles.is_blocked(self.session, phone)

    def block(self, phone: str, by: Address, now: datetime) -> bool:
        """Block `phone`; False when it already was."""
        return admin_roles.block(self.session, phone, by.key, now)

    def unblock(self, phone: str, by: Address, now: datetime) -> bool:
        """Unblock `phone`; False when it was not blocked."""
        return admin_roles.unblock(self.session, phone, by.key, now)

    def pending(self, districts: Collection[str] | None) -> list[AdminView]:
        """Return requests awaiting verification or reported while open, oldest first."""
        reported = select(RequestReport.request_id)
        statement = select(BloodRequest).where(
            (col(BloodRequest.status) == PENDING.value)
            | (col(BloodRequest.status).not_in([s.value for s in CLOSED_STATUSES])
               & col(BloodRequest.id).in_(reported)))
        if districts is not None:
            keys = [d.casefold() for d in districts]
            statement = statement.where(func.lower(BloodRequest.hospital_district).in_(keys))
        rows = self.session.exec(
            statement.order_by(col(BloodRequest.created_at), col(BloodRequest.id))).all()
        return [view_of(self.session, row) for row in rows]

    def view(self, code: str) -> AdminView | None:
        """Return one request with its reports and approvals, or None for an unknown code."""
        row = load_request(self.session, code)
        return None if row is None else view_of(self.session, row)

    def record_reveal(self, code: str, admin: Address, now: datetime) -> None:
        """Audit that `admin` was shown the attendant's phone of request `code`."""
        audit.record(self.session, actor=admin.key, action="request.phone_revealed",
                     subject=request_subject(code), detail={}, now=now)

    def approve(self, code: str, admin: Address, checklist: Checklist,
                now: datetime) -> ActionResult:
        """Approve: DONE verifies, NEEDS_SECOND_CHECK records a first of two approvals."""
        for _ in range(CAS_TRIES):
            row, grant, refused = self._scoped(code, admin)
            if refused is not None:
                return refused
            assert row is not None and grant is not None and row.id is not None
            status = RequestStatus(row.status)
            if status is not PENDING:
                outcome = Outcome.ALREADY_DONE if status.is_open else Outcome.WRONG_STATE
                return ActionResult(outcome, summary_of(row), status)
            approvals = view_of(self.session, row).approvals
            if grant.phone in approvals:
                return ActionResult(Outcome.SAME_ADMIN, summary_of(row), status)
            reasons = second_check_reasons(summary_of(row).draft,
                                           is_first_request(self.session, row))
            verified = len(approvals) + 1 >= (2 if reasons else 1)
            changes: dict[str, Any] = {"approval_count": row.approval_count + 1}
            if verified:
                changes |= {"status": RequestStatus.VERIFIED.value, "verified_at": now,
                            "status_changed_at": now, "status_changed_by": admin.key}
            if not self._swap(row, changes, now, approval_count=row.approval_count):
                continue
            self._add_approval(row.id, grant.phone, admin, checklist, now)
            action = "request.approved" if verified else "request.first_approval"
            audit.record(self.session, actor=admin.key, action=action,
                         subject=request_subject(code),
                         detail={**checklist.as_detail(), "second_check": list(reasons)},
                         now=now)
            fresh = load_request(self.session, code)
            assert fresh is not None
            outcome = Outcome.DONE if verified else Outcome.NEEDS_SECOND_CHECK
            return ActionResult(outcome, summary_of(fresh), status)
        return self._lost(code, RequestStatus.VERIFIED)

    def reject(self, code: str, admin: Address, reason: str, now: datetime) -> ActionResult:
        """Reject an open request with a reason the requester will hear."""
        return self._move(code, admin, RequestStatus.REJECTED, ADMIN_OPEN, now,
                          extra={"status_reason": reason})

    def edit(self, code: str, admin: Address, field: EditField, value: EditValue,
             now: datetime) -> EditResult:
        """Correct one field of an open request and return what changed."""
        row, _grant, refused = self._scoped(code, admin)
        if refused is not None:
            return EditResult(refused)
        assert row is not None
        status = RequestStatus(row.status)
        if not status.is_open:
            return EditResult(ActionResult(Outcome.WRONG_STATE, summary_of(row), status))
        if not edit_value_fits(field, value):
            return EditResult(ActionResult(Outcome.BAD_VALUE, summary_of(row), status))
        old = shown(column_value(row, field))
        change = Change(field, old, shown(value))
        if change.old == change.new:
            return EditResult(ActionResult(Outcome.DONE, summary_of(row), status))
        if not self._swap(row, EDIT_COLUMNS[field](value), now):
            return EditResult(self._lost(code, status))
        audit.record(self.session, actor=admin.key, action="request.edited",
                     subject=request_subject(code),
                     detail={"field": field.value, "old": change.old, "new": change.new},
                     now=now)
        fresh = load_request(self.session, code)
        assert fresh is not None
        return EditResult(ActionResult(Outcome.DONE, summary_of(fresh), status), (change,))

    def mark_fulfilled(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Mark a verified request fulfilled."""
        return self._move(code, admin, RequestStatus.FULFILLED, ADMIN_OPEN - {PENDING}, now)

    def close(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Close (cancel) an open request."""
        return self._move(code, admin, RequestStatus.CANCELLED, ADMIN_OPEN, now)

    def report(self, code: str, reporter: Address, text: str, now: datetime) -> bool:
        """Record a scam or fake-request report by anyone; False for an unknown code."""
        row = load_request(self.session, code)
        if row is None or row.id is None:
            return False
        ensure_address(self.session, reporter, now)
        self.session.add(RequestReport(request_id=row.id, reporter_key=reporter.key,
                                       text=text, created_at=now))
        audit.record(self.session, actor=reporter.key, action="request.reported",
                     subject=request_subject(code), detail={}, now=now)
        return True

    def open_requests_for_attendant(self, phone: str) -> int:
        """Count the open requests naming `phone` as the attendant."""
        return self.session.exec(
            select(func.count()).select_from(BloodRequest)
            .where(BloodRequest.attendant_phone == phone,
                   col(BloodRequest.status).not_in([s.value for s in CLOSED_STATUSES]))
        ).one()

    def admins_to_alert(self, district: str) -> list[Contact]:
        """Return the district's admins and verifiers, else every super-admin."""
        return admin_roles.admins_to_alert(self.session, district)

    def super_admins(self) -> list[Contact]:
        """Return every super-admin's addresses, for escalations."""
        return admin_roles.super_admins(self.session)

    def pending_older_than(self, cutoff: datetime) -> list[AdminView]:
        """Return pending requests created at or before `cutoff` and not yet escalated."""
        rows = self.session.exec(
            select(BloodRequest).where(BloodRequest.status == PENDING.value,
                                       col(BloodRequest.created_at) <= cutoff,
                                       col(BloodRequest.escalated_at).is_(None))
            .order_by(col(BloodRequest.created_at), col(BloodRequest.id))).all()
        return [view_of(self.session, row) for row in rows]

    def mark_escalated(self, code: str, now: datetime) -> bool:
        """Stamp the request escalated; False when it already was (another process won)."""
        self.session.flush()
        done = self.session.connection().execute(
            update(BloodRequest).where(col(BloodRequest.code) == code,
                                       col(BloodRequest.escalated_at).is_(None))
            .values(escalated_at=now)).rowcount == 1
        if done:
            audit.record(self.session, actor="system", action="request.escalated",
                         subject=request_subject(code), detail={}, now=now)
        return done

    def stats(self, district: str | None) -> Stats:
        """Count requests by status, donors by group, time to verify and lives helped."""
        requests = select(BloodRequest.status, func.count()).group_by(col(BloodRequest.status))
        donors = select(Donor.blood_group, func.count()).group_by(col(Donor.blood_group))
        times = select(BloodRequest.created_at, BloodRequest.verified_at).where(
            col(BloodRequest.verified_at).is_not(None))
        if district is not None:
            key = district.casefold()
            requests = requests.where(func.lower(BloodRequest.hospital_district) == key)
            donors = donors.where(func.lower(Donor.district) == key)
            times = times.where(func.lower(BloodRequest.hospital_district) == key)
        by_status = dict(self.session.exec(requests).all())
        minutes = [(verified - created).total_seconds() / 60
                   for created, verified in self.session.exec(times) if verified is not None]
        return Stats(by_status, dict(self.session.exec(donors).all()),
                     statistics.median(minutes) if minutes else None,
                     by_status.get(RequestStatus.FULFILLED.value, 0))

    def requester_of(self, code: str) -> Contact | None:
        """Return who filed request `code`, in the request's language, for notifications."""
        row = load_request(self.session, code)
        if row is None or row.requester_address_key is None:
            return None
        return Contact(Address.from_key(row.requester_address_key), row.language)

    def history(self, code: str) -> list[AuditLine]:
        """Return the audit lines about request `code`, oldest first."""
        return [AuditLine(e.at, e.actor, e.action, e.detail)
                for e in audit.history(self.session, request_subject(code))]

    def _scoped(self, code: str, admin: Address
                ) -> tuple[BloodRequest | None, Grant | None, ActionResult | None]:
        """Load the request and the admin's grant, or the result that refuses the action."""
        row = load_request(self.session, code)
        if row is None:
            return None, None, ActionResult(Outcome.NOT_FOUND)
        grant = self.grant_of(admin)
        if grant is None or not grant.covers(row.hospital_district):
            return row, grant, ActionResult(Outcome.OUT_OF_SCOPE)
        return row, grant, None

    def _swap(self, row: BloodRequest, values: dict[str, Any], now: datetime,
              **expected: Any) -> bool:
        """Update the request only if its status (and `expected` columns) are as read."""
        self.session.flush()
        statement = update(BloodRequest).where(col(BloodRequest.id) == row.id,
                                               col(BloodRequest.status) == row.status)
        for name, value in expected.items():
            statement = statement.where(getattr(BloodRequest, name) == value)
        result = self.session.connection().execute(statement.values(updated_at=now, **values))
        return result.rowcount == 1

    def _move(self, code: str, admin: Address, target: RequestStatus,
              allowed: Collection[RequestStatus], now: datetime,
              extra: dict[str, Any] | None = None) -> ActionResult:
        """Move an open request to `target` if its status allows, auditing the change."""
        row, _grant, refused = self._scoped(code, admin)
        if refused is not None:
            return refused
        assert row is not None
        status = RequestStatus(row.status)
        if status is target:
            return ActionResult(Outcome.ALREADY_DONE, summary_of(row), status)
        if status not in allowed:
            return ActionResult(Outcome.WRONG_STATE, summary_of(row), status)
        values = {"status": target.value, "status_changed_at": now,
                  "status_changed_by": admin.key, **(extra or {})}
        if not self._swap(row, values, now):
            return self._lost(code, target)
        audit.record(self.session, actor=admin.key, action=f"request.{target.value}",
                     subject=request_subject(code), detail={"from": status.value}, now=now)
        fresh = load_request(self.session, code)
        assert fresh is not None
        return ActionResult(Outcome.DONE, summary_of(fresh), status)

    def _lost(self, code: str, target: RequestStatus) -> ActionResult:
        """Say what happened when another admin changed the request first."""
        row = load_request(self.session, code)
        if row is None:
            return ActionResult(Outcome.NOT_FOUND)
        status = RequestStatus(row.status)
        outcome = Outcome.ALREADY_DONE if status is target else Outcome.WRONG_STATE
        return ActionResult(outcome, summary_of(row), status)

    def _add_approval(self, request_id: int, phone: str, admin: Address, checklist: Checklist,
                      now: datetime) -> None:
        ensure_address(self.session, admin, now)
        self.session.add(RequestApproval(
            request_id=request_id, admin_phone=phone, admin_key=admin.key,
            called_ward=checklist.called_ward, slip_seen=checklist.slip_seen,
            name_matches=checklist.name_matches, note=checklist.note, approved_at=now))
        self.session.flush()
