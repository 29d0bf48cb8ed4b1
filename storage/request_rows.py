"""Turn stored request rows back into domain summaries."""

from __future__ import annotations

import json

from storage.domain.blood import BloodGroup, Component, Sex
from storage.domain.places import Place
from storage.domain.records import (
    Attachment,
    RequestDraft,
    RequestKind,
    RequestStatus,
    RequestSummary,
)
from storage.tables import BloodRequest


def summary_of(row: BloodRequest) -> RequestSummary:
    """Rebuild the domain summary of a stored request."""
    draft = RequestDraft(
        patient_name=row.patient_name or "", patient_age=row.patient_age or 0,
        patient_sex=Sex(row.patient_sex or Sex.OTHER.value),
        patient_group=BloodGroup.from_code(row.patient_group),
        component=Component(row.component), units=row.units, kind=RequestKind(row.kind),
        hospital_name=row.hospital_name,
        hospital_place=Place(row.hospital_latitude, row.hospital_longitude,
                             row.hospital_district, row.hospital_state, row.hospital_pincode,
                             row.hospital_label),
        required_by=row.required_by, attendant_name=row.attendant_name or "",
        attendant_phone=row.attendant_phone or "",
        attendant_relation=row.attendant_relation or "", ward=row.ward,
        language=row.language, slip=_slip_of(row),
    )
    return RequestSummary(row.code, RequestStatus(row.status), draft, row.created_at,
                          tuple(json.loads(row.notes)))



def _slip_of(row: BloodRequest) -> Attachment | None:
    """Return the requisition slip's reference, None if none was sent (or it was erased)."""
    if not row.slip_url:
        return None
    return Attachment(row.slip_url, row.slip_content_type or "")
