"""Read blood requests the way admin commands need them: by code, with reports and approvals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.domain.admin import AdminView, EditField, EditValue, second_check_reasons, shown
from storage.domain.blood import BloodGroup, Component
from storage.domain.records import CLOSED_STATUSES, RequestStatus
from storage.request_rows import summary_of
from storage.tables import BloodRequest, RequestApproval, RequestReport

ADMIN_OPEN = frozenset(set(RequestStatus) - CLOSED_STATUSES)
"""The statuses in which admins may still reject, edit or close a request."""


def _hospital(value: EditValue) -> dict[str, Any]:
    name = str(value).strip()
    return {"hospital_name": name, "hospital_name_key": name.casefold()}


EDIT_COLUMNS: dict[EditField, Callable[[EditValue], dict[str, Any]]] = {
    EditField.GROUP: lambda value: {"patient_group": shown(value)},
    EditField.COMPONENT: lambda value: {"component": shown(value)},
    EditField.UNITS: lambda value: {"units": value},
    EditField.REQUIRED_BY: lambda value: {"required_by": value},
    EditField.HOSPITAL: _hospital,
}
"""The columns an edit of each field writes, given a value `edit_value_fits` accepted."""


def column_value(row: BloodRequest, field: EditField) -> EditValue:
    """Return the request's current value of an editable field."""
    match field:
        case EditField.GROUP:
            return BloodGroup.from_code(row.patient_group)
        case EditField.COMPONENT:
            return Component(row.component)
        case EditField.UNITS:
            return row.units
        case EditField.REQUIRED_BY:
            return row.required_by
        case EditField.HOSPITAL:
            return row.hospital_name


def request_subject(code: str) -> str:
    """Return the audit subject naming a request."""
    return f"request:{code}"


def load_request(session: Session, code: str) -> BloodRequest | None:
    """Return the request as the database holds it now, overwriting any stale copy."""
    session.flush()
    return session.exec(select(BloodRequest).where(BloodRequest.code == code)
                        .execution_options(populate_existing=True)).first()


def is_first_request(session: Session, row: BloodRequest) -> bool:
    """Tell whether no request naming the same attendant phone was filed before this one."""
    if row.attendant_phone is None:
        return False
    earlier = session.exec(select(BloodRequest.id).where(
        BloodRequest.attendant_phone == row.attendant_phone,
        col(BloodRequest.id) < row.id)).first()
    return earlier is None


def view_of(session: Session, row: BloodRequest) -> AdminView:
    """Return the admin's view of a request: its reports, approvals and second-check reasons."""
    reports = session.exec(select(func.count()).select_from(RequestReport)
                           .where(RequestReport.request_id == row.id)).one()
    approvals = session.exec(select(RequestApproval.admin_phone)
                             .where(RequestApproval.request_id == row.id)
                             .order_by(col(RequestApproval.approved_at),
                                       col(RequestApproval.id))).all()
    summary = summary_of(row)
    reasons = second_check_reasons(summary.draft, is_first_request(session, row))
    return AdminView(summary, reports, tuple(approvals), reasons, row.escalated_at)
