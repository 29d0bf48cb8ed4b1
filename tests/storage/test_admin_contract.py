"""One contract for the admin services, on memory, on SQLite and (if set) on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from storage.domain.admin import EditField, Grant, Outcome, Role
from storage.domain.blood import BloodGroup
from storage.domain.records import RequestStatus
from tests.storage.admin_backends import (
    CHECKED,
    ELSEWHERE,
    FAMILY,
    LUCKNOW_ADMIN,
    OTHER_ADMIN,
    PHONES,
    STRANGER,
    SUPER,
    Backend,
    backends,
)
from tests.storage.samples import NOW


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    for built in backends(request.param, tmp_path):
        built.setup_admins()
        yield built


def test_a_grant_is_found_by_the_verified_phone_and_revoked(backend: Backend) -> None:
    admin = backend.admin
    grant = admin.grant_of(LUCKNOW_ADMIN)
    assert grant == Grant(PHONES[LUCKNOW_ADMIN], Role.DISTRICT_ADMIN, frozenset({"LUCKNOW"}))
    assert grant.covers("lucknow") and not grant.covers("Barabanki")
    assert admin.grant_of(STRANGER) is None
    assert admin.revoke(PHONES[LUCKNOW_ADMIN], SUPER, NOW) is True
    assert admin.grant_of(LUCKNOW_ADMIN) is None
    assert admin.revoke(PHONES[LUCKNOW_ADMIN], SUPER, NOW) is False


def test_only_admins_of_the_district_may_approve(backend: Backend) -> None:
    code = backend.file()
    assert backend.admin.approve(code, STRANGER, CHECKED, NOW).outcome is Outcome.OUT_OF_SCOPE
    assert backend.admin.approve(code, OTHER_ADMIN, CHECKED, NOW).outcome is Outcome.OUT_OF_SCOPE
    result = backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW)
    assert result.outcome is Outcome.DONE and result.previous_status is RequestStatus(
        "pending_verification")
    assert result.summary is not None and result.summary.status is RequestStatus.VERIFIED


def test_a_revoked_admin_loses_access_at_once(backend: Backend) -> None:
    code = backend.file()
    backend.admin.revoke(PHONES[LUCKNOW_ADMIN], SUPER, NOW)
    assert backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW).outcome \
        is Outcome.OUT_OF_SCOPE
    assert backend.admin.reject(code, LUCKNOW_ADMIN, "fake", NOW).outcome is Outcome.OUT_OF_SCOPE


def test_regranting_replaces_the_role_and_districts(backend: Backend) -> None:
    phone = PHONES[OTHER_ADMIN]
    backend.admin.grant(Grant(phone, Role.DISTRICT_ADMIN, frozenset({"Lucknow", "Agra"})),
                        SUPER, NOW)
    grant = backend.admin.grant_of(OTHER_ADMIN)
    assert grant is not None and grant.role is Role.DISTRICT_ADMIN
    assert grant.districts == {"Lucknow", "Agra"}


def test_blocking_and_unblocking(backend: Backend) -> None:
    admin, phone = backend.admin, "+919822222222"
    assert admin.is_blocked(phone) is False
    assert admin.block(phone, SUPER, NOW) is True
    assert admin.block(phone, SUPER, NOW) is False
    assert admin.is_blocked(phone) is True
    assert admin.unblock(phone, SUPER, NOW) is True
    assert admin.unblock(phone, SUPER, NOW) is False
    assert admin.is_blocked(phone) is False


def test_pending_is_oldest_first_and_only_in_the_districts_asked(backend: Backend) -> None:
    new, later = backend.file(NOW), backend.file(NOW)
    old = backend.file(NOW - timedelta(hours=1))
    agra = backend.file(NOW, hospital_place=ELSEWHERE)
    backend.admin.approve(new, LUCKNOW_ADMIN, CHECKED, NOW)
    views = backend.admin.pending(["lucknow"])
    codes = [v.summary.code for v in views]
    assert codes == [old, later] and new not in codes and agra not in codes
    assert [v.summary.created_at for v in views] == [NOW - timedelta(hours=1), NOW]
    assert agra in [v.summary.code for v in backend.admin.pending(None)]


def test_a_reported_open_request_shows_in_pending_with_its_count(backend: Backend) -> None:
    code = backend.file()
    backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW)
    assert backend.admin.report(code, STRANGER, "asked me for money", NOW) is True
    assert backend.admin.report(code, FAMILY, "fake", NOW) is True
    assert backend.admin.report("R-0000", STRANGER, "?", NOW) is False
    [view] = [v for v in backend.admin.pending(None) if v.summary.code == code]
    assert view.reports == 2


def test_approving_twice_says_it_is_already_done(backend: Backend) -> None:
    code = backend.file()
    backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW)
    again = backend.admin.approve(code, SUPER, CHECKED, NOW)
    assert again.outcome is Outcome.ALREADY_DONE
    assert again.previous_status is RequestStatus.VERIFIED


@pytest.mark.parametrize("changes", [{}, {"units": 5},
                                     {"patient_group": BloodGroup.from_code("O-")}])
def test_a_second_check_needs_a_different_admin(backend: Backend,
                                                changes: dict[str, Any]) -> None:
    code = backend.first(**changes) if not changes else backend.file(**changes)
    first = backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW)
    assert first.outcome is Outcome.NEEDS_SECOND_CHECK
    assert first.summary is not None and first.summary.status.value == "pending_verification"
    same = backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, NOW)
    assert same.outcome is Outcome.SAME_ADMIN
    assert backend.admin.approve(code, SUPER, CHECKED, NOW).outcome is Outcome.DONE
    view = backend.admin.view(code)
    assert view is not None and view.approvals == (PHONES[LUCKNOW_ADMIN], PHONES[SUPER])


def test_approving_a_rejected_or_closed_request_is_refused(backend: Backend) -> None:
    rejected, closed = backend.file(), backend.file()
    assert backend.admin.reject(rejected, LUCKNOW_ADMIN, "no such patient", NOW).outcome \
        is Outcome.DONE
    assert backend.admin.reject(rejected, SUPER, "again", NOW).outcome is Outcome.ALREADY_DONE
    assert backend.admin.close(closed, SUPER, NOW).outcome is Outcome.DONE
    for code in (rejected, closed):
        result = backend.admin.approve(code, SUPER, CHECKED, NOW)
        assert result.outcome is Outcome.WRONG_STATE
    assert backend.admin.reject(closed, SUPER, "late", NOW).outcome is Outcome.WRONG_STATE


def test_unknown_codes_are_not_found(backend: Backend) -> None:
    admin = backend.admin
    assert admin.approve("R-0000", SUPER, CHECKED, NOW).outcome is Outcome.NOT_FOUND
    assert admin.reject("R-0000", SUPER, "x", NOW).outcome is Outcome.NOT_FOUND
    assert admin.edit("R-0000", SUPER, EditField.UNITS, 2, NOW).result.outcome \
        is Outcome.NOT_FOUND
    assert admin.view("R-0000") is None and admin.requester_of("R-0000") is None


def test_fulfilled_only_after_verification(backend: Backend) -> None:
    code = backend.file()
    assert backend.admin.mark_fulfilled(code, SUPER, NOW).outcome is Outcome.WRONG_STATE
    backend.admin.approve(code, SUPER, CHECKED, NOW)
    assert backend.admin.mark_fulfilled(code, SUPER, NOW).outcome is Outcome.DONE
    assert backend.admin.mark_fulfilled(code, SUPER, NOW).outcome is Outcome.ALREADY_DONE
    assert backend.admin.close(code, SUPER, NOW).outcome is Outcome.WRONG_STATE
