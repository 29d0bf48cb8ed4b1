"""Read blood groups from free text and decide which donors may give to which patients."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from storage.domain.people import Sex as Sex


class Abo(StrEnum):
    """Name an ABO group, plus Bombay (hh) and not known."""

    O = "O"  # noqa: E741 - the blood group's own name
    A = "A"
    B = "B"
    AB = "AB"
    BOMBAY = "hh"
    UNKNOWN = "unknown"


class Rh(StrEnum):
    """Name an Rh(D) type."""

    POS = "+"
    NEG = "-"
    UNKNOWN = "?"


@dataclass(frozen=True)
class BloodGroup:
    """Hold one ABO group and one Rh type."""

    abo: Abo
    rh: Rh

    @property
    def code(self) -> str:
        """Return the short code stored and shown: "B+", "O-", "hh", "hh+", "A", "unknown"."""
        return self.abo.value if self.rh is Rh.UNKNOWN else self.abo.value + self.rh.value

    @property
    def is_rare(self) -> bool:
        """Tell whether donors of this group are rare (Rh-negative or Bombay)."""
        return self.rh is Rh.NEG or self.abo is Abo.BOMBAY

    @classmethod
    def from_code(cls, code: str) -> BloodGroup:
        """Rebuild a group from its `code`; raise ValueError for anything else."""
        rh = Rh(code[-1]) if code[-1:] in ("+", "-") else Rh.UNKNOWN
        abo = Abo(code[:-1] if rh is not Rh.UNKNOWN else code)
        return cls(abo, rh)


EIGHT_GROUPS: tuple[BloodGroup, ...] = tuple(
    BloodGroup(abo, rh) for abo in (Abo.O, Abo.A, Abo.B, Abo.AB) for rh in (Rh.NEG, Rh.POS)
)
UNKNOWN_GROUP = BloodGroup(Abo.UNKNOWN, Rh.UNKNOWN)

_PUNCTUATION = str.maketrans({"−": "-", "–": "-", "—": "-", "＋": "+", "’": "'", "‘": "'",
                              ".": " ", ",": " ", "!": " ", ":": " ", "\u093c": None})
_FILLER = frozenset({"blood", "group", "grp", "bg", "type", "my", "is", "mera", "hai", "ka",
                     "ब्लड", "ग्रुप", "ग्रूप", "रक्त", "समूह", "मेरा", "है", "का"})
_UNKNOWN_RE = re.compile(
    r"\b(?:(?:i )?don'?t know|do not know|unknown|not known|no idea|not sure"
    r"|pa?ta nahi+n?|nahi+n? pata|malum nahi+n?|maloom nahi+n?)\b"
    r"|पता नहीं|नहीं पता|मालूम नहीं|नहीं मालूम"
)
_HINDI_ABO = {"ए बी": "ab", "एबी": "ab", "ए": "a", "बी": "b", "ओ": "o"}
_HINDI_ABO_RE = re.compile(r"^(?:ए\s*बी|ए|बी|ओ|(?P<bombay>ब[ॉोा]म्बे|बम्बई))")
_GROUP_RE = re.compile(r"^(?P<abo>bombay|hh|a\s*b|a|b|o|0)(?P<rh>.*)$")
_POS_RE = re.compile(r"\+(?:ve|v|ive)?|\+?pos[a-z]*|plus|प[ॉोा]ज[िी]ट[िी]व|प्लस|धनात्मक")
_NEG_RE = re.compile(r"-(?:ve|v|ive)?|-?neg[a-z]*|minus|न[ेि]ग[ेै]?ट[िी]व|माइनस|ऋणात्मक")
_ABO_WORDS = {"bombay": Abo.BOMBAY, "hh": Abo.BOMBAY, "ab": Abo.AB, "a": Abo.A, "b": Abo.B,
              "o": Abo.O, "0": Abo.O}


def parse_blood_group(text: str) -> BloodGroup | None:
    """Read a blood group typed in English, Hindi or Hinglish; None if not recognised.

    "B+", "b pos", "बी पॉजिटिव", "Bombay", "hh" and "pata nahi" (unknown) are read; a group
    without an Rh word ("B") gives Rh.UNKNOWN. "oh" is left unread: it is ambiguous.
    """
    clean = unicodedata.normalize("NFC", text).lower().translate(_PUNCTUATION)
    clean = " ".join(word for word in clean.split() if word not in _FILLER)
    if not clean:
        return None
    if _UNKNOWN_RE.search(clean):
        return UNKNOWN_GROUP
    hindi = _HINDI_ABO_RE.match(clean)
    if hindi:
        latin = "bombay" if hindi["bombay"] else _HINDI_ABO[hindi[0]]
        clean = latin + clean[hindi.end():]
    match = _GROUP_RE.match(clean)
    if match is None:
        return None
    abo = _ABO_WORDS[re.sub(r"\s", "", match["abo"])]
    rh_text = re.sub(r"\s|\(|\)", "", match["rh"]).removeprefix("rh")
    if not rh_text:  # a bare "0" is more likely a menu choice than the group O
        return None if match["abo"] == "0" else BloodGroup(abo, Rh.UNKNOWN)
    if _POS_RE.fullmatch(rh_text):
        return BloodGroup(abo, Rh.POS)
    if _NEG_RE.fullmatch(rh_text):
        return BloodGroup(abo, Rh.NEG)
    return None


class Component(StrEnum):
    """Name what the patient needs from the donor."""

    WHOLE_BLOOD = "whole_blood"
    PRBC = "prbc"
    SDP = "sdp"  # single-donor apheresis platelets
    RDP = "rdp"  # random-donor platelets, separated from whole-blood donations
    FFP = "ffp"
    CRYO = "cryo"

    @property
    def is_platelets(self) -> bool:
        """Tell whether this is a platelet component."""
        return self in (Component.SDP, Component.RDP)

    @property
    def is_apheresis(self) -> bool:
        """Tell whether the donor gives it on an apheresis machine."""
        return self is Component.SDP


# Recipient <- donor tables, one row per patient group, exactly as DOMAIN.md "Components and
# compatibility" states them (standard ABO/Rh practice in the NBTC 2017 guidelines).
RED_CELL_TABLE: tuple[tuple[str, str], ...] = (
    ("O-", "O-"),
    ("O+", "O- O+"),
    ("A-", "O- A-"),
    ("A+", "O- O+ A- A+"),
    ("B-", "O- B-"),
    ("B+", "O- O+ B- B+"),
    ("AB-", "O- A- B- AB-"),
    ("AB+", "O- O+ A- A+ B- B+ AB- AB+"),
)
PLASMA_TABLE: tuple[tuple[str, str], ...] = (  # reverse ABO; Rh does not matter
    ("O", "O A B AB"),
    ("A", "A AB"),
    ("B", "B AB"),
    ("AB", "AB"),
)


@dataclass(frozen=True)
class CompatibilityRules:
    """Hold the compatibility tables and numbers; pass another instance for other countries."""

    red_cells: tuple[tuple[str, str], ...] = RED_CELL_TABLE  # DOMAIN.md red-cell table
    plasma: tuple[tuple[str, str], ...] = PLASMA_TABLE  # DOMAIN.md plasma (FFP) rule
    # DOMAIN.md platelets: avoid Rh+ donors for Rh- women under 50 (child-bearing age).
    platelet_rh_protect_under_age: int = 50


DEFAULT_COMPATIBILITY = CompatibilityRules()


@dataclass(frozen=True)
class Compatibility:
    """Say which donor groups may give, which to ask first, and whether the centre decides."""

    allowed: frozenset[BloodGroup]
    preferred: frozenset[BloodGroup]
    centre_decides: bool


# Every group a registered donor can have, except wholly unknown: those only help replacements.
_DONOR_GROUPS = tuple(BloodGroup(a, r) for a in Abo if a is not Abo.UNKNOWN for r in Rh)
_RED_CELL_COMPONENTS = (Component.WHOLE_BLOOD, Component.PRBC)


@cache
def _red_cell_donors(table: tuple[tuple[str, str], ...]) -> dict[BloodGroup, frozenset[str]]:
    return {BloodGroup.from_code(p): frozenset(d.split()) for p, d in table}


@cache
def _plasma_donors(table: tuple[tuple[str, str], ...]) -> dict[Abo, frozenset[Abo]]:
    return {Abo(p): frozenset(Abo(d) for d in donors.split()) for p, donors in table}


def _concrete_ok(donor: BloodGroup, patient: BloodGroup, component: Component,
                 protect_rh: bool, rules: CompatibilityRules) -> bool:
    """Apply the tables to a donor and a patient whose ABO and Rh are both known."""
    red = _red_cell_donors(rules.red_cells)
    if component in _RED_CELL_COMPONENTS:
        return donor.code in red[patient]
    if component.is_platelets:  # ABO by the red-cell rule; Rh only for women under 50
        abo_ok = any(donor.abo == BloodGroup.from_code(d).abo
                     for d in red[BloodGroup(patient.abo, Rh.POS)])
        return abo_ok and not (protect_rh and patient.rh is Rh.NEG and donor.rh is Rh.POS)
    # FFP, and cryoprecipitate, a plasma product: conservatively the same reverse ABO rule.
    return donor.abo in _plasma_donors(rules.plasma)[patient.abo]


def _both_rh(group: BloodGroup) -> tuple[BloodGroup, ...]:
    """Expand an unknown Rh into both, so only choices safe either way are made."""
    if group.rh is not Rh.UNKNOWN:
        return (group,)
    return (BloodGroup(group.abo, Rh.POS), BloodGroup(group.abo, Rh.NEG))


def _may_give(donor: BloodGroup, patient: BloodGroup, component: Component,
              protect_rh: bool, allow_bombay_donor: bool, rules: CompatibilityRules) -> bool:
    if (donor.abo is Abo.BOMBAY) != (patient.abo is Abo.BOMBAY):
        # hh cells lack H, A and B, so an admin may send them as O cells; hh plasma carries
        # anti-H and suits hh patients only. An hh patient takes only hh (DOMAIN.md).
        if patient.abo is Abo.BOMBAY or not allow_bombay_donor:
            return False
        if component not in _RED_CELL_COMPONENTS:
            return False
    # Within the hh world the O rules apply, Rh included.
    as_o = {Abo.BOMBAY: Abo.O}
    donor = BloodGroup(as_o.get(donor.abo, donor.abo), donor.rh)
    patient = BloodGroup(as_o.get(patient.abo, patient.abo), patient.rh)
    return all(_concrete_ok(d, p, component, protect_rh, rules)
               for d in _both_rh(donor) for p in _both_rh(patient))


def compatible_donors(patient: BloodGroup, component: Component, *,
                      patient_sex: Sex | None = None, patient_age: int | None = None,
                      allow_bombay_donor: bool = False,
                      rules: CompatibilityRules = DEFAULT_COMPATIBILITY) -> Compatibility | None:
    """Return the donor groups that may give `component` to `patient`.

    None means the patient's ABO group is unknown: treat the request as a replacement, where
    any group may help (DOMAIN.md). A donor or patient of unknown Rh is matched only where
    either Rh would be safe. Unknown sex or age counts as a woman under 50 for platelets.
    """
    if patient.abo is Abo.UNKNOWN:
        return None
    protect_rh = patient_sex is not Sex.MALE and (
        patient_age is None or patient_age < rules.platelet_rh_protect_under_age)
    allowed = frozenset(d for d in _DONOR_GROUPS if _may_give(
        d, patient, component, protect_rh, allow_bombay_donor, rules))
    same_rh = component in _RED_CELL_COMPONENTS and patient.rh is not Rh.UNKNOWN
    preferred = frozenset(d for d in allowed
                          if d.abo == patient.abo and (not same_rh or d.rh == patient.rh))
    centre_decides = (component.is_platelets or component is Component.CRYO
                      or any(d.abo is Abo.BOMBAY for d in allowed))
    return Compatibility(allowed, preferred, centre_decides)


def can_donate_to(donor: BloodGroup, patient: BloodGroup, component: Component, *,
                  patient_sex: Sex | None = None, patient_age: int | None = None,
                  allow_bombay_donor: bool = False,
                  rules: CompatibilityRules = DEFAULT_COMPATIBILITY) -> bool:
    """Tell whether this donor may help; for an unknown patient group any non-hh donor may."""
    found = compatible_donors(patient, component, patient_sex=patient_sex,
                              patient_age=patient_age, allow_bombay_donor=allow_bombay_donor,
                              rules=rules)
    if found is None:
        return donor.abo is not Abo.BOMBAY or allow_bombay_donor
    return donor in found.allowed
