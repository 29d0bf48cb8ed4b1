"""The choices the donor sign-up and profile flows offer, with the words that also pick them."""

from __future__ import annotations

from conversations.flow import Option
from conversations.i18n import _
from storage.domain.blood import EIGHT_GROUPS, UNKNOWN_GROUP, Abo, BloodGroup, Rh
from storage.domain.eligibility import DeferralKind, DonationKind
from storage.domain.records import Availability

YES, NO = "yes", "no"
YES_NO = (
    Option(YES, _("Yes"), ("y", "haan", "han", "ha", "ji", "ok", "हाँ", "हां", "जी")),
    Option(NO, _("No"), ("n", "nahi", "nahin", "na", "नहीं", "ना")),
)

BOMBAY_GROUP = BloodGroup(Abo.BOMBAY, Rh.UNKNOWN)
BOMBAY_LABEL = _("Bombay (hh)")
DONT_KNOW = _("Don't know")


def group_label(group: BloodGroup) -> str:
    """Show a group as donors write it: "B+", "O−" (a true minus, so "O" alone stays "O")."""
    return group.code.replace("-", "−")


def _group_key(group: BloodGroup) -> str:
    # Keys are matched against what users type, so "O-" (which folds to "o") would not do.
    return group.code.replace("+", " pos").replace("-", " neg")


GROUP_OPTIONS = (
    *(Option(_group_key(g), group_label(g)) for g in EIGHT_GROUPS),
    Option("hh", BOMBAY_LABEL, ("bombay", "बॉम्बे")),
    Option("unknown", DONT_KNOW, ("dont know", "not sure", "pata nahi", "पता नहीं")),
)
GROUP_BY_KEY: dict[str, BloodGroup] = {
    **{_group_key(g): g for g in EIGHT_GROUPS}, "hh": BOMBAY_GROUP, "unknown": UNKNOWN_GROUP,
}

SEX_OPTIONS = (
    Option("m", _("Male"), ("male", "man", "purush", "aadmi", "पुरुष", "आदमी")),
    Option("f", _("Female"), ("female", "woman", "mahila", "aurat", "महिला", "औरत", "स्त्री")),
    Option("o", _("Other"), ("other", "anya", "अन्य")),
)

AVAILABILITY_LABELS: dict[Availability, str] = {
    Availability.ANY_TIME: _("Any time"),
    Availability.DAYTIME: _("Daytime only"),
    Availability.WEEKENDS: _("Weekends only"),
    Availability.EMERGENCIES: _("Only in emergencies"),
    Availability.NOT_NOW: _("Not available for now"),
}
AVAILABILITY_OPTIONS = tuple(Option(a.value, label) for a, label in AVAILABILITY_LABELS.items())

NEVER = "never"
NEVER_OPTION = Option(NEVER, _("Never donated"), ("never", "no", "kabhi nahi", "कभी नहीं"))

KIND_LABELS: dict[DonationKind, str] = {
    DonationKind.WHOLE_BLOOD: _("Whole blood (a usual blood donation)"),
    DonationKind.APHERESIS: _("Platelets or plasma on a machine (apheresis)"),
}
KIND_OPTIONS = (
    Option(DonationKind.WHOLE_BLOOD.value, KIND_LABELS[DonationKind.WHOLE_BLOOD],
           ("whole", "whole blood", "blood", "khoon")),
    Option(DonationKind.APHERESIS.value, KIND_LABELS[DonationKind.APHERESIS],
           ("platelets", "plasma", "sdp", "apheresis")),
)

# The order matches the numbers users type ("1, 3"); DOMAIN.md lists the deferrals.
DEFERRAL_LABELS: dict[DeferralKind, str] = {
    DeferralKind.TATTOO_PIERCING: _("Tattoo or piercing (last 12 months)"),
    DeferralKind.MAJOR_SURGERY: _("Major surgery (last 12 months)"),
    DeferralKind.TRANSFUSION: _("Received a blood transfusion (last 12 months)"),
    DeferralKind.TYPHOID: _("Typhoid (last 12 months)"),
    DeferralKind.MALARIA: _("Malaria (last 3 months)"),
    DeferralKind.PREGNANCY: _("Pregnant, breast-feeding, or a baby in the last 12 months"),
    DeferralKind.ILLNESS_TODAY: _("Unwell or fever today"),
}
NONE_OF_THESE = "none"
DEFERRAL_OPTIONS = (
    *(Option(kind.value, label) for kind, label in DEFERRAL_LABELS.items()),
    Option(NONE_OF_THESE, _("None of these"), ("none", "no", "nahi", "कोई नहीं", "नहीं")),
)

NOT_SURE = "not_sure"
ONGOING = "ongoing"
NOT_SURE_OPTION = Option(NOT_SURE, _("Not sure of the date"), ("not sure", "pata nahi"))
ONGOING_OPTIONS: dict[DeferralKind, Option] = {
    DeferralKind.PREGNANCY: Option(ONGOING, _("Pregnant now"), ("pregnant",)),
    DeferralKind.MALARIA: Option(ONGOING, _("Not cured yet"), ("not cured",)),
}
