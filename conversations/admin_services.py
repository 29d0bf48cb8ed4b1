"""What admin commands may ask of the outside world; the runtime passes an implementation in.

Phones are E.164. Districts compare case-insensitively. Methods that write take `now`, write
an audit row in the same transaction, and never commit. Methods that change a request check
the admin's grant themselves (so a revoked admin loses access at once, even mid-turn) and
settle races with a compare-and-set on the request's status: of two admins acting at the same
moment exactly one gets DONE. Read methods do not check scope: the caller filters with
`Grant.covers`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Protocol

from storage.domain.addresses import Address
from storage.domain.admin import (
    ActionResult,
    AdminView,
    AuditLine,
    Checklist,
    Contact,
    EditField,
    EditResult,
    EditValue,
    Grant,
    Stats,
)


class AdminServices(Protocol):
    """Roles, blocking, verification and abuse reports."""

    def grant_of(self, address: Address) -> Grant | None:
        """Return the role of the person behind `address`, by their verified phone."""

    def grant(self, grant: Grant, by: Address, now: datetime) -> None:
        """Give (or replace) the role of `grant.phone`."""

    def revoke(self, phone: str, by: Address, now: datetime) -> bool:
        """Take away the role of `phone`; False when it had none."""

    def bootstrap_super_admins(self, phones: Iterable[str], now: datetime) -> None:
        """Make these phones super-admins unless they already are (ADMIN_PHONES)."""

    def is_blocked(self, phone: str) -> bool:
        """Tell whether `phone` is blocked from signing up and filing requests."""

    def block(self, phone: str, by: Address, now: datetime) -> bool:
        """Block `phone`; False when it already was."""

    def unblock(self, phone: str, by: Address, now: datetime) -> bool:
        """Unblock `phone`; False when it was not blocked."""

    def pending(self, districts: Collection[str] | None) -> list[AdminView]:
        """Return requests awaiting verification, oldest first; None means every district."""

    def view(self, code: str) -> AdminView | None:
        """Return one request with its reports and approvals, or None for an unknown code."""

    def record_reveal(self, code: str, admin: Address, now: datetime) -> None:
        """Audit that `admin` was shown the attendant's phone of request `code`."""

    def approve(self, code: str, admin: Address, checklist: Checklist,
                now: datetime) -> ActionResult:
        """Approve: DONE verifies, NEEDS_SECOND_CHECK records a first of two approvals."""

    def reject(self, code: str, admin: Address, reason: str, now: datetime) -> ActionResult:
        """Reject an open request with a reason the requester will hear."""

    def edit(self, code: str, admin: Address, field: EditField, value: EditValue,
             now: datetime) -> EditResult:
        """Correct one field of an open request and return what changed."""

    def mark_fulfilled(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Mark a verified request fulfilled."""

    def close(self, code: str, admin: Address, now: datetime) -> ActionResult:
        """Close (cancel) an open request."""

    def report(self, code: str, reporter: Address, text: str, now: datetime) -> bool:
        """Record a scam or fake-request report by anyone; False for an unknown code."""

    def open_requests_for_attendant(self, phone: str) -> int:
        """Count the open requests naming `phone` as the attendant."""

    def admins_to_alert(self, district: str) -> list[Contact]:
        """Return the district's admins and verifiers, else every super-admin."""

    def super_admins(self) -> list[Contact]:
        """Return every super-admin's addresses, for escalations."""

    def pending_older_than(self, cutoff: datetime) -> list[AdminView]:
        """Return pending requests created at or before `cutoff` and not yet escalated."""

    def mark_escalated(self, code: str, now: datetime) -> bool:
        """Stamp the request escalated; False when it already was (another process won)."""

    def stats(self, district: str | None) -> Stats:
        """Count requests by status, donors by group, time to verify and lives helped."""

    def requester_of(self, code: str) -> Contact | None:
        """Return who filed request `code`, in the request's language, for notifications."""

    def history(self, code: str) -> list[AuditLine]:
        """Return the audit lines about request `code`, oldest first."""
