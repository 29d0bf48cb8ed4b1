"""Test blood-group parsing and the compatibility tables against DOMAIN.md."""

from __future__ import annotations

import pytest

from storage.domain.blood import (
    EIGHT_GROUPS,
    Abo,
    BloodGroup,
    Component,
    Rh,
    can_donate_to,
    compatible_donors,
    parse_blood_group,
)
from storage.domain.people import Sex

# Hand copy of DOMAIN.md's red-cell table: rows are patients, columns donors, in this order.
ORDER = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"]
RED_CELLS = {
    "O-": "Y.......",
    "O+": "YY......",
    "A-": "Y.Y.....",
    "A+": "YYYY....",
    "B-": "Y...Y...",
    "B+": "YY..YY..",
    "AB-": "Y.Y.Y.Y.",
    "AB+": "YYYYYYYY",
}
# Hand copy of DOMAIN.md's plasma rule: patient ABO -> donor ABOs (columns O A B AB).
PLASMA = {"O": "YYYY", "A": ".Y.Y", "B": "..YY", "AB": "...Y"}
PAIRS = [(p, d) for p in ORDER for d in ORDER]


def group(code: str) -> BloodGroup:
    return BloodGroup.from_code(code)


def allowed_codes(
    patient: str, component: Component, patient_sex: Sex | None = None, patient_age: int = 30
) -> set[str]:
    found = compatible_donors(
        group(patient), component, patient_sex=patient_sex, patient_age=patient_age
    )
    assert found is not None
    return {g.code for g in found.allowed}


@pytest.mark.parametrize(
    ("text", "code"),
    [("B+", "B+"), ("b positive", "B+"), ("B+ve", "B+"), ("b pos", "B+"), ("B POSITIVE", "B+"),
     ("O-", "O-"), ("o neg", "O-"), ("o negative", "O-"), ("AB+", "AB+"), ("ab +ve", "AB+"),
     ("बी पॉजिटिव", "B+"), ("बी+", "B+"), ("ओ नेगेटिव", "O-"), ("ए बी पॉजिटिव", "AB+"),
     ("एबी+", "AB+"), ("Bombay", "hh"), ("bombay blood group", "hh"), ("hh", "hh"),
     ("O −ve", "O-"), ("my blood group is a-", "A-"), ("B", "B"), ("0+", "O+")],
)
def test_parse_reads_common_spellings(text: str, code: str) -> None:
    parsed = parse_blood_group(text)
    assert parsed is not None and parsed.code == code


@pytest.mark.parametrize(
    "text", ["don't know", "dont know", "unknown", "pata nahi", "पता नहीं", "नहीं पता"]
)
def test_parse_reads_not_knowing_as_unknown_group(text: str) -> None:
    assert parse_blood_group(text) == BloodGroup(Abo.UNKNOWN, Rh.UNKNOWN)


@pytest.mark.parametrize("text", ["oh", "oh positive", "🩸", "", "   ", "C+", "B+ needed", "0"])
def test_parse_rejects_ambiguous_or_unknown_text(text: str) -> None:
    assert parse_blood_group(text) is None


@pytest.mark.parametrize("abo", list(Abo))
@pytest.mark.parametrize("rh", list(Rh))
def test_code_round_trips(abo: Abo, rh: Rh) -> None:
    assert BloodGroup.from_code(BloodGroup(abo, rh).code) == BloodGroup(abo, rh)


def test_codes_read_as_people_write_them() -> None:
    assert [g.code for g in EIGHT_GROUPS] == ORDER
    assert BloodGroup(Abo.BOMBAY, Rh.POS).code == "hh+"
    assert BloodGroup(Abo.UNKNOWN, Rh.UNKNOWN).code == "unknown"


def test_rare_groups_are_rh_negative_or_bombay() -> None:
    rare = {g.code for g in EIGHT_GROUPS if g.is_rare}
    assert rare == {"O-", "A-", "B-", "AB-"}
    assert BloodGroup(Abo.BOMBAY, Rh.POS).is_rare


@pytest.mark.parametrize("component", [Component.PRBC, Component.WHOLE_BLOOD])
@pytest.mark.parametrize(("patient", "donor"), PAIRS)
def test_red_cells_follow_every_cell_of_the_table(
    component: Component, patient: str, donor: str
) -> None:
    expected = RED_CELLS[patient][ORDER.index(donor)] == "Y"
    assert (donor in allowed_codes(patient, component)) is expected
    assert can_donate_to(group(donor), group(patient), component) is expected


@pytest.mark.parametrize("component", [Component.FFP, Component.CRYO])
@pytest.mark.parametrize(("patient", "donor"), PAIRS)
def test_plasma_and_cryo_follow_the_reverse_table(
    component: Component, patient: str, donor: str
) -> None:
    p_abo, d_abo = patient.rstrip("+-"), donor.rstrip("+-")
    expected = PLASMA[p_abo][["O", "A", "B", "AB"].index(d_abo)] == "Y"
    assert (donor in allowed_codes(patient, component)) is expected


def test_whole_blood_prefers_the_identical_group() -> None:
    found = compatible_donors(group("B+"), Component.WHOLE_BLOOD)
    assert found is not None and {g.code for g in found.preferred} == {"B+"}
    assert not found.centre_decides


def test_platelets_spare_rh_negative_women_under_50_from_rh_positive() -> None:
    young = allowed_codes("A-", Component.SDP, patient_sex=Sex.FEMALE, patient_age=49)
    older = allowed_codes("A-", Component.SDP, patient_sex=Sex.FEMALE, patient_age=50)
    man = allowed_codes("A-", Component.SDP, patient_sex=Sex.MALE, patient_age=30)
    assert young == {"O-", "A-"}
    assert older == man == {"O-", "O+", "O", "A-", "A+", "A"}


def test_platelets_of_unknown_sex_or_age_are_treated_like_a_young_woman() -> None:
    assert allowed_codes("B-", Component.RDP, patient_sex=None) == {"O-", "B-"}
    found = compatible_donors(group("B-"), Component.RDP, patient_sex=Sex.FEMALE)
    assert found is not None and {g.code for g in found.allowed} == {"O-", "B-"}


def test_platelets_prefer_abo_identical_and_let_the_centre_decide() -> None:
    found = compatible_donors(group("B+"), Component.SDP)
    assert found is not None and found.centre_decides
    assert {g.code for g in found.preferred} == {"B+", "B-", "B"}
    assert "A+" not in {g.code for g in found.allowed}


@pytest.mark.parametrize("component", list(Component))
def test_bombay_patient_takes_only_bombay(component: Component) -> None:
    found = compatible_donors(BloodGroup(Abo.BOMBAY, Rh.POS), component)
    assert found is not None and found.allowed
    assert {g.abo for g in found.allowed} == {Abo.BOMBAY}
    assert found.centre_decides


def test_bombay_donor_is_offered_to_o_only_when_an_admin_asks() -> None:
    hh = BloodGroup(Abo.BOMBAY, Rh.NEG)
    assert not can_donate_to(hh, group("O+"), Component.PRBC)
    assert can_donate_to(hh, group("O+"), Component.PRBC, allow_bombay_donor=True)
    assert not can_donate_to(hh, group("O+"), Component.FFP, allow_bombay_donor=True)


def test_unknown_patient_group_is_a_replacement_request() -> None:
    unknown = BloodGroup(Abo.UNKNOWN, Rh.UNKNOWN)
    assert compatible_donors(unknown, Component.PRBC) is None
    assert can_donate_to(group("AB-"), unknown, Component.PRBC)
    assert not can_donate_to(BloodGroup(Abo.BOMBAY, Rh.POS), unknown, Component.PRBC)


def test_donor_of_unknown_rh_helps_only_where_either_rh_is_safe() -> None:
    assert can_donate_to(group("O"), group("A+"), Component.PRBC)
    assert not can_donate_to(group("O"), group("A-"), Component.PRBC)


def test_component_kinds() -> None:
    assert [c for c in Component if c.is_platelets] == [Component.SDP, Component.RDP]
    assert [c for c in Component if c.is_apheresis] == [Component.SDP]
