"""An in-memory implementation of the admin services, sharing a `MemoryServices`' requests."""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

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
    Role,
    Stats,
    edit_value_fits,
    second_check_reasons,
    shown,
)
from storage.domain.records import CLOSED_STATUSES, RequestStatus, RequestSummary
from storage.memory import MemoryServices

PENDING = RequestStatus.PENDING_VERIFICATION
_OPEN = frozenset(set(RequestStatus) - CLOSED_STATUSES)
_EDIT_ATTRIBUTES = {EditField.GROUP: "patient_group", EditField.COMPONENT: "component",
                    EditField.UNITS: "units", EditField.REQUIRED_BY: "required_by",
                    EditField.HOSPITAL: "hospital_name"}


class MemoryAdminServices:
    """Keep roles, blocks, approvals, reports and audit lines in dictionaries."""

    def __init__(self, requests: MemoryServices) -> None:
        """Act on the requests of `requests`; `link` stands in for channel-verified phones."""
        self.base = requests
        self.phones: dict[str, str] = {}
        self.languages: dict[str, str] = {}
        self.grants: dict[str, Grant] = {}
        self.blocked: set[str] = set()
        self.approvals: defaultdict[str, list[str]] = defaultdict(list)
        self.reports: Counter[str] = Counter()
        self.escalated: dict[str, datetime] = {}
        self.verified_at: dict[str, datetime] = {}
        self.audit: list[tuple[str, AuditLine]] = []

    def link(self, address: Address, phone: str, language: str = "en") -> None:
        """Record the phone a channel verified for `address`, and its language."""
        self.phones[address.key] = phone
        self.languages[address.key] = language

    def grant_of(self, address: Address) -> Grant | None:
        """Return the role of the phone linked to `address`."""
        phone = self.phones.get(address.key)
        return None if phone is None else self.grants.get(phone)

    def grant(self, grant: Grant, by: Address, now: datetime) -> None:
        """Give or replace a role."""
        self.grants[grant.phone] = grant
        self._record(f"admin:{grant.phone}", by.key, "admin.granted", now,
                     role=grant.role.value,
                     districts=sorted({d.casefold() for d in grant.districts}))

    def revoke(self, phone: str, by: Address, now: datetime) -> bool:
        """Take a role away."""
        gone = self.grants.pop(phone, None) is not None
        if gone:
            self._record(f"admin:{phone}", by.key, "admin.revoked", now)
        return gone

    def bootstrap_super_admins(self, phones: Iterable[str], now: datetime) -> None:
        """Make these phones super-admins."""
        for phone in phones:
            current = self.grants.get(phone)
            if current is None or current.role is not Role.SUPER_ADMIN:
                self.grant(Grant(phone, Role.SUPER_ADMIN), Address("settings", ""), now)

    def is_blocked(self, phone: str) -> bool:
        """Tell whether the phone is blocked."""
        return phone in self.blocked

    def block(self, phone: str, by: Address, now: datetime) -> bool:
        """Block a phone once."""
        if phone in self.blocked:
            return False
        self.blocked.add(phone)
        self._record(f"phone:{phone}", by.key, "phone.blocked", now)
        return True

    def unblock(self, phone: str, by: Address, now: datetime) -> bool:
        """Unblock a phone."""
        if phone not in self.blocked:
            return False
        self.blocked.discard(phone)
        self._record(f"phone:{phone}", by.key, "phone.unblocked", now)
        return True

    def pending(self, districts: Collection[str] | None) -> list[AdminView]:
        """Return pending, or open and reported, requests oldest first."""
        keys = None if districts is None else {d.casefold() for d in districts}
        found = [s for s in self._summaries()
                 if (s.status is PENDING or (s.status.is_open and self.reports[s.code]))
                 and (keys is None or s.draft.hospital_place.district.casefold() in keys)]
        return [self._view(s) for s in sorted(found, key=lambda s: s.created_at)]

    def view(self, code: str) -> AdminView | None:
        """Return one request's admin view."""
        summary = self._summary(code)
        return None if summary is None else self._view(summary)

    def record_reveal(self, code: str, admin: Address, now: datetime) -> None:
        """Audit a phone reveal."""
        self._record(f"request:{code}", admin.key, "request.phone_revealed", now)

    def approve(self, code: str, admin: Address, checklist: Checklist,
                now: datetime) -> ActionResult:
        """Approve once per admin; verify after one or, on a second check, two admins."""
        summary, grant, refused = self._scoped(code, admin)
        if refused is not None:
            return refused
        assert summary is not None and grant is not None
        if summary.status is not PENDING:
            outcome = Outcome.ALREADY_DONE if summary.status.is_open else Outcome.WRONG_STATE
            return ActionResult(outcome, summary, summary.status)
        if grant.phone in self.approvals[code]:
            return ActionResult(Outcome.SAME_ADMIN, summary, summary.status)
        reasons = second_check_reasons(summary.draft, self._is_first(summary))
        self.approvals[code].append(grant.phone)
        verified = len(self.approvals[code]) >= (2 if reasons else 1)
        if verified:
            self.verified_at[code] = now
            summary = self._store(dataclasses.replace(summary, status=RequestStatus.VERIFIED))
        action = "request.approved" if verified else "request.first_approval"
        self._record(f"request:{code}", admin.key, action, now, **checklist.as_detail(),
                     second_check=list(reasons))
        outcome = Outcome.DONE if verified else Outcome.NEEDS_SECOND_CHECK
        return ActionResult(outcome, summary, PENDING)

    def reject(self, code: str, admin: Address, reason: str, now: datetime) -> ActionResult:
        """Reject an open request."""
        return self._move(code, admin, RequestStatus.REJECTED, _OPEN, now)

    def edit(self, code: str, admin: Address, field: EditField, value: EditValue,
             now: datetime) -> EditResult:
        """Correct one field of an open request."""
        summary, _grant, refused = self._scoped(code, admin)
        if refused is not None:
            return EditResult(refused)
        assert summary is not None
        status = summary.status
        if not status.is_open:
            return EditResult(ActionResult(Outcome.WRONG_STATE, summary, status))
        if not edit_value_fits(field, value):
            return EditResult(ActionResult(Outcome.BAD_VALUE, summary, status))
        attribute = _EDIT_ATTRIBUTES[field]
        if isinstance(value, str):
            value = value.strip()
        change = Change(field, shown(getattr(summary.draft, attribute)), shown(value))
        if change.old == change.new:
            return EditResult(ActionResult(Outcome.DONE, summary, status))
        changed: dict[str, Any] = {attribute: value}
        draft = dataclasses.replace(summary.draft, **changed)
        summary = self._store(dataclasses.replace(summary, draft=draft))
        self._record(f"request:{code}", admin.key, "request.edited", now, field=field.value,
                     old=change.old, new=change.new)
        return EditResult(ActionResult(Outcome.DONE, summary, status), (change,))

    def mark_fulfilled(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Mark a verified request fulfilled."""
        return self._move(code, admin, RequestStatus.FULFILLED, _OPEN - {PENDING}, now)

    def close(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Cancel an open request."""
        return self._move(code, admin, RequestStatus.CANCELLED, _OPEN, now)

    def report(self, code: str, reporter: Address, text: str, now: datetime) -> bool:
        """Count a report against a known request."""
        if self._summary(code) is None:
            return False
        self.reports[code] += 1
        self._record(f"request:{code}", reporter.key, "request.reported", now)
        return True

    def open_requests_for_attendant(self, phone: str) -> int:
        """Count open requests naming this attendant phone."""
        return sum(1 for s in self._summaries()
                   if s.status.is_open and s.draft.attendant_phone == phone)

    def admins_to_alert(self, district: str) -> list[Contact]:
        """Return the district's admins' addresses, else the super-admins'."""
        local = {g.phone for g in self.grants.values()
                 if g.role is not Role.SUPER_ADMIN and g.covers(district)}
        supers = {g.phone for g in self.grants.values() if g.role is Role.SUPER_ADMIN}
        return self._contacts(local) or self._contacts(supers)

    def super_admins(self) -> list[Contact]:
        """Return the super-admins' addresses."""
        return self._contacts({g.phone for g in self.grants.values()
                               if g.role is Role.SUPER_ADMIN})

    def pending_older_than(self, cutoff: datetime) -> list[AdminView]:
        """Return pending requests created by `cutoff` and not yet escalated."""
        found = [s for s in self._summaries() if s.status is PENDING
                 and s.created_at <= cutoff and s.code not in self.escalated]
        return [self._view(s) for s in sorted(found, key=lambda s: s.created_at)]

    def mark_escalated(self, code: str, now: datetime) -> bool:
        """Stamp the request escalated once."""
        if code in self.escalated or self._summary(code) is None:
            return False
        self.escalated[code] = now
        self._record(f"request:{code}", "system", "request.escalated", now)
        return True

    def stats(self, district: str | None) -> Stats:
        """Count requests and donors, in one district or all."""
        def here(place_district: str) -> bool:
            return district is None or place_district.casefold() == district.casefold()
        summaries = [s for s in self._summaries() if here(s.draft.hospital_place.district)]
        by_status = Counter(s.status.value for s in summaries)
        donors = Counter(p.blood_group.code for p in self.base.donors.values()
                         if here(p.place.district))
        minutes = [(self.verified_at[s.code] - s.created_at).total_seconds() / 60
                   for s in summaries if s.code in self.verified_at]
        return Stats(dict(by_status), dict(donors),
                     statistics.median(minutes) if minutes else None,
                     by_status[RequestStatus.FULFILLED.value])

    def requester_of(self, code: str) -> Contact | None:
        """Return the address that filed the request."""
        entry = self.base.requests.get(code)
        if entry is None:
            return None
        return Contact(Address.from_key(entry[0]), entry[1].draft.language)

    def history(self, code: str) -> list[AuditLine]:
        """Return the request's audit lines, oldest first."""
        return [line for subject, line in self.audit if subject == f"request:{code}"]

    def _summaries(self) -> list[RequestSummary]:
        return [summary for _owner, summary in self.base.requests.values()]

    def _summary(self, code: str) -> RequestSummary | None:
        entry = self.base.requests.get(code)
        return None if entry is None else entry[1]

    def _store(self, summary: RequestSummary) -> RequestSummary:
        owner, _old = self.base.requests[summary.code]
        self.base.requests[summary.code] = (owner, summary)
        return summary

    def _is_first(self, summary: RequestSummary) -> bool:
        for earlier in self._summaries():
            if earlier.code == summary.code:
                return True
            if earlier.draft.attendant_phone == summary.draft.attendant_phone:
                return False
        return True  # pragma: no cover - the request itself is always found

    def _view(self, summary: RequestSummary) -> AdminView:
        reasons = second_check_reasons(summary.draft, self._is_first(summary))
        return AdminView(summary, self.reports[summary.code],
                         tuple(self.approvals[summary.code]), reasons,
                         self.escalated.get(summary.code))

    def _scoped(self, code: str, admin: Address
                ) -> tuple[RequestSummary | None, Grant | None, ActionResult | None]:
        summary = self._summary(code)
        if summary is None:
            return None, None, ActionResult(Outcome.NOT_FOUND)
        grant = self.grant_of(admin)
        if grant is None or not grant.covers(summary.draft.hospital_place.district):
            return summary, grant, ActionResult(Outcome.OUT_OF_SCOPE)
        return summary, grant, None

    def _move(self, code: str, admin: Address, target: RequestStatus,
              allowed: Collection[RequestStatus], now: datetime) -> ActionResult:
        summary, _grant, refused = self._scoped(code, admin)
        if refused is not None:
            return refused
        assert summary is not None
        status = summary.status
        if status is target:
            return ActionResult(Outcome.ALREADY_DONE, summary, status)
        if status not in allowed:
            return ActionResult(Outcome.WRONG_STATE, summary, status)
        summary = self._store(dataclasses.replace(summary, status=target))
        self._record(f"request:{code}", admin.key, f"request.{target.value}", now,
                     **{"from": status.value})
        return ActionResult(Outcome.DONE, summary, status)

    def _contacts(self, phones: set[str]) -> list[Contact]:
        return [Contact(Address.from_key(key), self.languages.get(key, "en"))
                for key, phone in sorted(self.phones.items()) if phone in phones]

    def _record(self, subject: str, actor: str, action: str, now: datetime,
                **detail: Any) -> None:
        self.audit.append((subject, AuditLine(now, actor, action, detail)))

