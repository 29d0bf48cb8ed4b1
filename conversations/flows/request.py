"""Blood request flow: a family describes the patient's need; a volunteer verifies it.

Steps, in order (a few are skipped when an earlier answer decides them):
patient_name, patient_age, patient_sex, blood_group, component, units, kind (skipped for an
unknown or Bombay group), hospital_name, hospital_place, ward, slip, required_by, required_time
(after "today" or "tomorrow"), required_date (after "another date"), attendant_name,
attendant_phone, attendant_relation, confirm, change (from the summary). Nothing is written
until the requester confirms the summary.
"""

from __future__ import annotations

from conversations.abuse import NEUTRAL_REFUSAL, any_blocked, channel_phone
from conversations.flow import Flow, Transition, Turn, finish, goto
from conversations.flows import (
    request_attendant,
    request_hospital,
    request_need,
    request_patient,
    request_summary,
    request_when,
)
from conversations.i18n import _

TITLE = _("Blood request")
INTRO = _("Let's file a blood request. I will ask short questions about the patient, the "
          "hospital and the attendant. A volunteer checks every request before donors are "
          "contacted. Send 'cancel' at any time to stop: nothing is saved until you confirm.")


def start(turn: Turn) -> Transition:
    """Explain the flow in two lines and ask for the patient's name (a blocked phone: no)."""
    if any_blocked(turn, channel_phone(turn)):
        return finish(turn.t(NEUTRAL_REFUSAL))
    return goto("patient_name", turn.t(INTRO))


FLOW = Flow(
    name="request",
    title=TITLE,
    steps=[
        *request_patient.STEPS,
        *request_need.STEPS,
        *request_hospital.STEPS,
        *request_when.STEPS,
        *request_attendant.STEPS,
        *request_summary.STEPS,
    ],
    start=start,
)
