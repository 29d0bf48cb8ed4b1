"""Photos to delete at Twilio after an erasure: a durable queue that a WhatsApp process drains.

Erasure blanks a request's slip reference in its own transaction, but the photo itself stays
on Twilio until someone deletes it there, and storage cannot call Twilio. So erasure queues
the photo's message and media SIDs here, in the same transaction; a WhatsApp process claims
due rows (the claim is a lease: a process that dies lets another retry after it), deletes the
media, and drops the row. A failure is retried later, for as long as it takes. Only the two
SIDs are kept, never the URL with its account SID, and only until the photo is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import UTCDateTime, insert_unless_exists

TWILIO_MEDIA = re.compile(r"/Accounts/AC\w+/Messages/(?P<message>\w+)/Media/(?P<media>ME\w+)")
"""The path of a media file Twilio keeps for an incoming message (its MediaUrl0 field)."""
MAX_ERROR_CHARS = 300


class MediaDeletion(SQLModel, table=True):
    """A Twilio media file waiting to be deleted; the row goes once Twilio has deleted it."""

    __tablename__ = "media_deletion"

    media_sid: str = Field(primary_key=True)  # "ME…"
    message_sid: str  # the incoming message it came with, "MM…"
    created_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)  # also the claim's lease
    attempts: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class PendingDeletion:
    """A claimed deletion: which media of which message, and how often it was tried."""

    message_sid: str
    media_sid: str
    attempts: int


def twilio_media_sids(url: str) -> tuple[str, str] | None:
    """Return (message SID, media SID) of a Twilio media URL; None for any other reference."""
    match = TWILIO_MEDIA.search(url)
    return (match["message"], match["media"]) if match else None


def schedule(session: Session, url: str, now: datetime) -> bool:
    """Queue the deletion of the Twilio media at `url`; False if it is not Twilio's or queued."""
    sids = twilio_media_sids(url)
    if sids is None:
        return False
    values = {"media_sid": sids[1], "message_sid": sids[0], "created_at": now, "due_at": now,
              "attempts": 0}
    return insert_unless_exists(session, MediaDeletion, values, key=("media_sid",))


def claim_due(session: Session, *, now: datetime, limit: int,
              lease: timedelta) -> list[PendingDeletion]:
    """Take up to `limit` due deletions, each leased until now+lease (counted as an attempt)."""
    due = (select(MediaDeletion.media_sid).where(col(MediaDeletion.due_at) <= now)
           .order_by(col(MediaDeletion.due_at)).limit(limit)
           .with_for_update(skip_locked=True))
    statement = (
        update(MediaDeletion).where(col(MediaDeletion.media_sid).in_(due.scalar_subquery()))
        .values(due_at=now + lease, attempts=col(MediaDeletion.attempts) + 1)
        .returning(col(MediaDeletion.message_sid), col(MediaDeletion.media_sid),
                   col(MediaDeletion.attempts))
        .execution_options(synchronize_session=False)
    )
    return [PendingDeletion(*row) for row in session.exec(statement).all()]


def mark_deleted(session: Session, media_sid: str) -> None:
    """Forget a deletion Twilio has done (or that found the media already gone)."""
    session.exec(delete(MediaDeletion).where(col(MediaDeletion.media_sid) == media_sid))


def retry_later(session: Session, media_sid: str, *, due: datetime, error: str) -> None:
    """Put a failed deletion back, due again at `due`."""
    session.exec(
        update(MediaDeletion).where(col(MediaDeletion.media_sid) == media_sid)
        .values(due_at=due, last_error=error[:MAX_ERROR_CHARS])
        .execution_options(synchronize_session=False)
    )

