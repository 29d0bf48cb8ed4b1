"""The second-check rule, district scope and edit values of DOMAIN.md "Verification"."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from storage.domain.admin import (
    EditField,
    Grant,
    Role,
    edit_value_fits,
    needs_second_check,
    second_check_reasons,
)
from storage.domain.blood import BloodGroup, Component
from tests.storage.samples import NOW, REQUEST


@pytest.mark.parametrize(("group", "units", "first", "reasons"), [
    ("AB+", 4, False, ()),
    ("AB+", 5, False, ("many_units",)),
    ("O-", 1, False, ("rare_group",)),
    ("hh", 1, False, ("rare_group",)),
    ("B+", 2, True, ("first_request",)),
    ("A-", 6, True, ("rare_group", "many_units", "first_request")),
])
def test_second_check_reasons(group: str, units: int, first: bool,
                              reasons: tuple[str, ...]) -> None:
    draft = dataclasses.replace(REQUEST, patient_group=BloodGroup.from_code(group), units=units)
    assert second_check_reasons(draft, first) == reasons
    assert needs_second_check(draft, first) is bool(reasons)


def test_districts_compare_without_case_and_super_admins_cover_all() -> None:
    admin = Grant("+919800000002", Role.DISTRICT_ADMIN, frozenset({"Lucknow"}))
    assert admin.covers("LUCKNOW") and not admin.covers("Agra")
    assert Grant("+919800000001", Role.SUPER_ADMIN).covers("Agra")
    assert not Grant("+919800000003", Role.VERIFIER).covers("Agra")


@pytest.mark.parametrize(("field", "value", "fits"), [
    (EditField.UNITS, 10, True), (EditField.UNITS, 11, False), (EditField.UNITS, True, False),
    (EditField.GROUP, BloodGroup.from_code("B-"), True), (EditField.GROUP, "B-", False),
    (EditField.COMPONENT, Component.FFP, True), (EditField.HOSPITAL, "", False),
    (EditField.REQUIRED_BY, NOW, True), (EditField.REQUIRED_BY, datetime(2026, 1, 1), False),
])
def test_edit_values_must_fit_their_field(field: EditField, value: object, fits: bool) -> None:
    assert edit_value_fits(field, value) is fits  # type: ignore[arg-type]
