"""The audit log: who did what to which request or person, and when."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.tables import AuditRow

DELETED_ACTOR = "deleted"
"""Stands in for the actor of entries made by a person who has since been deleted."""


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    at: datetime
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def record(session: Session, *, actor: str, action: str, subject: str,
           detail: dict[str, Any], now: datetime) -> None:
    """Append an entry; `detail` must hold no names or phone numbers."""
    session.add(AuditRow(at=now, actor=actor, action=action, subject=subject,
                         detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))
    session.flush()


def history(session: Session, subject: str) -> list[AuditEntry]:
    """Return every entry about `subject`, oldest first."""
    rows = session.exec(
        select(AuditRow).where(AuditRow.subject == subject)
        .order_by(col(AuditRow.at), col(AuditRow.id))
    ).all()
    return [AuditEntry(row.at, row.actor, row.action, row.subject, json.loads(row.detail))
            for row in rows]


def forget_subjects(session: Session, renames: Mapping[str, str]) -> None:
    """Rename audit subjects that name a deleted person (e.g. "admin:+91…")."""
    for old, new in renames.items():
        session.exec(
            update(AuditRow).where(col(AuditRow.subject) == old).values(subject=new)
            .execution_options(synchronize_session=False)
        )


def forget_actors(session: Session, actors: Collection[str]) -> None:
    """Replace these actors (a deleted person's address keys) with an anonymous marker."""
    if actors:
        session.exec(
            update(AuditRow).where(col(AuditRow.actor).in_(list(actors)))
            .values(actor=DELETED_ACTOR)
            .execution_options(synchronize_session=False)
        )
