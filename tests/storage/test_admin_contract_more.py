"""The admin contract, continued: edits, counts, alerts, escalation, stats and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage.domain.addresses import Address
from storage.domain.admin import Change, Contact, EditField, Outcome
from storage.domain.blood import BloodGroup, Component
from tests.storage.admin_backends import (
    CHECKED,
    FAMILY,
    LUCKNOW_ADMIN,
    OTHER_ADMIN,
    PHONES,
    STRANGER,
    SUPER,
    Backend,
    backends,
)
from tests.storage.samples import DONOR, NOW


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    for built in backends(request.param, tmp_path):
        built.setup_admins()
        yield built


def test_an_edit_reports_what_changed(backend: Backend) -> None:
    code = backend.file()
    result = backend.admin.edit(code, LUCKNOW_ADMIN, EditField.UNITS, 3, NOW)
    assert result.result.outcome is Outcome.DONE
    assert result.changes == (Change(EditField.UNITS, "2", "3"),)
    assert result.result.summary is not None and result.result.summary.draft.units == 3
    group = backend.admin.edit(code, SUPER, EditField.GROUP, BloodGroup.from_code("B+"), NOW)
    assert group.changes == (Change(EditField.GROUP, "AB+", "B+"),)
    same = backend.admin.edit(code, SUPER, EditField.COMPONENT, Component.SDP, NOW)
    assert same.result.outcome is Outcome.DONE and same.changes == ()
    view = backend.admin.view(code)
    assert view is not None and view.summary.draft.patient_group.code == "B+"


@pytest.mark.parametrize(("field", "value"), [
    (EditField.UNITS, 11), (EditField.UNITS, 0), (EditField.UNITS, "3"),
    (EditField.HOSPITAL, "  "), (EditField.GROUP, "B+"),
    (EditField.REQUIRED_BY, datetime(2026, 12, 5, 10)),
])
def test_a_bad_edit_value_changes_nothing(backend: Backend, field: EditField,
                                          value: object) -> None:
    code = backend.file()
    result = backend.admin.edit(code, SUPER, field, value, NOW)  # type: ignore[arg-type]
    assert result.result.outcome is Outcome.BAD_VALUE and result.changes == ()
    assert [line.action for line in backend.admin.history(code)
            if line.action == "request.edited"] == []


def test_a_closed_request_cannot_be_edited(backend: Backend) -> None:
    code = backend.file()
    backend.admin.close(code, SUPER, NOW)
    result = backend.admin.edit(code, SUPER, EditField.HOSPITAL, "SGPGI", NOW)
    assert result.result.outcome is Outcome.WRONG_STATE


def test_open_requests_are_counted_per_attendant_phone(backend: Backend) -> None:
    codes = [backend.file() for _ in range(4)]
    assert backend.admin.open_requests_for_attendant("+919876543210") == 4
    backend.admin.close(codes[0], SUPER, NOW)
    backend.admin.reject(codes[1], SUPER, "duplicate", NOW)
    assert backend.admin.open_requests_for_attendant("+919876543210") == 2
    assert backend.admin.open_requests_for_attendant("+919800000009") == 0


def test_alerts_go_to_the_district_else_to_super_admins(backend: Backend) -> None:
    assert backend.admin.admins_to_alert("lucknow") == [Contact(LUCKNOW_ADMIN, "en")]
    assert backend.admin.admins_to_alert("Barabanki") == [Contact(OTHER_ADMIN, "en")]
    assert backend.admin.admins_to_alert("Agra") == [Contact(SUPER, "en")]
    backend.admin.revoke(PHONES[LUCKNOW_ADMIN], SUPER, NOW)
    assert backend.admin.admins_to_alert("Lucknow") == [Contact(SUPER, "en")]


def test_super_admins_are_listed_for_escalations(backend: Backend) -> None:
    assert backend.admin.super_admins() == [Contact(SUPER, "en")]
    backend.admin.revoke(PHONES[SUPER], LUCKNOW_ADMIN, NOW)
    assert backend.admin.super_admins() == []


def test_escalation_picks_old_pending_requests_once(backend: Backend) -> None:
    old = backend.file(NOW - timedelta(minutes=20))
    approved = backend.file(NOW - timedelta(minutes=30))
    backend.file(NOW - timedelta(minutes=5))
    backend.admin.approve(approved, SUPER, CHECKED, NOW)
    cutoff = NOW - timedelta(minutes=15)
    assert [v.summary.code for v in backend.admin.pending_older_than(cutoff)] == [old]
    assert backend.admin.mark_escalated(old, NOW) is True
    assert backend.admin.mark_escalated(old, NOW) is False
    assert backend.admin.pending_older_than(cutoff) == []
    view = backend.admin.view(old)
    assert view is not None and view.escalated_at == NOW


def test_stats_count_requests_donors_and_time_to_verify(backend: Backend) -> None:
    backend.services.save_donor_profile(Address("telegram", "77"), DONOR, NOW)
    fulfilled = backend.file(NOW - timedelta(minutes=10))
    verified = backend.file(NOW - timedelta(minutes=30))
    backend.admin.approve(fulfilled, SUPER, CHECKED, NOW)
    backend.admin.approve(verified, SUPER, CHECKED, NOW)
    backend.admin.mark_fulfilled(fulfilled, SUPER, NOW)
    stats = backend.admin.stats("LUCKNOW")
    assert stats.requests_by_status == {"verified": 1, "fulfilled": 1}
    assert stats.donors_by_group == {"B-": 1}
    assert stats.median_minutes_to_verify == pytest.approx(20)
    assert stats.lives_helped == 1
    assert backend.admin.stats("Agra").requests_by_status == {"cancelled": 1}


def test_every_admin_action_is_audited_in_order(backend: Backend) -> None:
    code = backend.first()
    times = [NOW + timedelta(minutes=i) for i in range(6)]
    backend.admin.record_reveal(code, LUCKNOW_ADMIN, times[0])
    backend.admin.edit(code, LUCKNOW_ADMIN, EditField.UNITS, 4, times[1])
    backend.admin.approve(code, LUCKNOW_ADMIN, CHECKED, times[2])
    backend.admin.report(code, STRANGER, "odd", times[3])
    backend.admin.approve(code, SUPER, CHECKED, times[4])
    backend.admin.mark_fulfilled(code, SUPER, times[5])
    lines = [(line.actor, line.action) for line in backend.admin.history(code)
             if line.action != "request.created"]
    assert lines == [
        (LUCKNOW_ADMIN.key, "request.phone_revealed"), (LUCKNOW_ADMIN.key, "request.edited"),
        (LUCKNOW_ADMIN.key, "request.first_approval"), (STRANGER.key, "request.reported"),
        (SUPER.key, "request.approved"), (SUPER.key, "request.fulfilled")]
    first = backend.admin.history(code)[-4]
    assert first.detail["second_check"] == ["first_request"] and first.detail["slip_seen"]
    assert [line.at for line in backend.admin.history(code)][-6:] == times


def test_the_requester_is_found_for_notifications(backend: Backend) -> None:
    code = backend.file()
    assert backend.admin.requester_of(code) == Contact(FAMILY, "hi")


def test_bootstrapped_super_admins_act_everywhere(backend: Backend) -> None:
    backend.admin.bootstrap_super_admins([PHONES[STRANGER]], NOW)
    backend.admin.bootstrap_super_admins([PHONES[STRANGER]], NOW)
    grant = backend.admin.grant_of(STRANGER)
    assert grant is not None and grant.covers("Agra")
    assert backend.admin.approve(backend.file(), STRANGER, CHECKED, NOW).outcome \
        is Outcome.DONE
