"""Donor groups on the database: register a group chat to an area, post requests, close posts.

A group is reached by a request's broadcast when the widest wave started so far covers the
group's area: a district group as soon as the hospital is in its district or the wave's
circle reaches the district's centre; a PIN group when the wave's circle meets its circle.
When the request closes, its post is edited, where the channel gave the post's id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage import audit
from storage.broadcast_tables import BroadcastWave
from storage.db import insert_unless_exists
from storage.deliveries import chat_message_sid
from storage.delivery_tables import Delivery
from storage.domain.addresses import Address
from storage.domain.broadcast import BROADCASTING_STATUSES
from storage.domain.followups import GroupPost
from storage.domain.places import Place, haversine_km
from storage.domain.records import CLOSED_STATUSES
from storage.followup_tables import DonorGroup, GroupPostRow
from storage.request_rows import summary_of
from storage.tables import BloodRequest, OutboxRow


def register_group(session: Session, *, group: Address, place: Place, radius_km: float | None,
                   by: Address, now: datetime) -> None:
    """Register (or re-register) a group chat to a district, or a PIN centre and radius."""
    row = session.exec(select(DonorGroup).where(DonorGroup.address_key == group.key)).first()
    row = row or DonorGroup(address_key=group.key, latitude=0.0, longitude=0.0, label="",
                            registered_by=by.key, created_at=now, updated_at=now)
    row.district = place.district if radius_km is None else None
    row.latitude, row.longitude, row.radius_km = place.latitude, place.longitude, radius_km
    row.label, row.registered_by, row.active, row.updated_at = place.label, by.key, True, now
    session.add(row)
    audit.record(session, actor=by.key, action="group.registered", subject=f"group:{group.key}",
                 detail={"area": place.label, "radius_km": radius_km}, now=now)
    session.flush()


def unregister_group(session: Session, *, group: Address, by: Address, now: datetime) -> bool:
    """Stop posting to a group chat; False when it was not registered."""
    row = session.exec(select(DonorGroup).where(DonorGroup.address_key == group.key,
                                                col(DonorGroup.active))).first()
    if row is None:
        return False
    row.active, row.updated_at = False, now
    session.add(row)
    audit.record(session, actor=by.key, action="group.unregistered",
                 subject=f"group:{group.key}", detail={}, now=now)
    return True


def reached(group: DonorGroup, request: BloodRequest, radius_km: float) -> bool:
    """Tell whether a broadcast of `radius_km` around the hospital reaches the group's area."""
    if group.district is not None and group.district.casefold() == \
            request.hospital_district.casefold():
        return True
    distance = haversine_km(request.hospital_latitude, request.hospital_longitude,
                            group.latitude, group.longitude)
    return distance <= radius_km + (group.radius_km or 0.0)


def post_key(code: str, group: Address) -> str:
    """Return the outbox idempotency key of a request's post to a group."""
    return f"group_post:{code}:{group.key}"


def posted_message_id(session: Session, code: str, group: Address) -> str | None:
    """Return the channel's id of the post of `code` to `group`, if its sender gave one."""
    sid = session.exec(
        select(Delivery.sid).join(OutboxRow, col(OutboxRow.id) == col(Delivery.outbox_id))
        .where(OutboxRow.idempotency_key == post_key(code, group))
        .order_by(col(Delivery.created_at))).first()
    prefix = chat_message_sid(group.key, "")
    return sid.removeprefix(prefix) if sid is not None and sid.startswith(prefix) else None


def posts_due(session: Session, *, now: datetime) -> list[GroupPost]:
    """Record and return a post for each active group newly reached by a broadcast request."""
    reach = session.exec(
        select(BroadcastWave.request_id, func.max(BroadcastWave.radius_km))
        .where(col(BroadcastWave.started_at).is_not(None))
        .group_by(col(BroadcastWave.request_id))).all()
    groups = session.exec(select(DonorGroup).where(col(DonorGroup.active))).all()
    posts = []
    for request_id, radius in reach:
        request = session.get(BloodRequest, request_id)
        if request is None or request.status not in {s.value for s in BROADCASTING_STATUSES}:
            continue
        for group in groups:
            if reached(group, request, radius) and insert_unless_exists(
                    session, GroupPostRow,
                    {"request_id": request_id, "group_id": group.id, "state": "posted",
                     "created_at": now, "updated_at": now}, key=("request_id", "group_id")):
                posts.append(GroupPost(Address.from_key(group.address_key),
                                       summary_of(request)))
    return posts


def closings_due(session: Session, *, now: datetime) -> list[GroupPost]:
    """Mark the posts of closed requests closed; return each group to tell, once."""
    rows = session.exec(
        select(GroupPostRow, BloodRequest, DonorGroup)
        .join(BloodRequest, col(BloodRequest.id) == col(GroupPostRow.request_id))
        .join(DonorGroup, col(DonorGroup.id) == col(GroupPostRow.group_id))
        .where(GroupPostRow.state == "posted",
               col(BloodRequest.status).in_([s.value for s in CLOSED_STATUSES]))).all()
    found = []
    for post, request, group in rows:
        post.state, post.updated_at = "closed", now
        session.add(post)
        chat = Address.from_key(group.address_key)
        found.append(GroupPost(chat, summary_of(request),
                               posted_message_id(session, request.code, chat)))
    session.flush()
    return found
