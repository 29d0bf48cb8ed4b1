"""Admin roles, blocked phones and whom to alert, on the database inside the caller's session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from storage import audit
from storage.db import insert_unless_exists
from storage.domain.addresses import Address
from storage.domain.admin import Contact, Grant, Role
from storage.tables import AddressRow, AdminDistrict, AdminGrant, BlockedPhone, Person
from storage.turns import language_of

SETTINGS_ACTOR = "settings"
DEFAULT_LANGUAGE = "en"


def phone_of(session: Session, address: Address) -> str | None:
    """Return the phone the channel verified for `address`, else its person's verified one."""
    row = session.get(AddressRow, address.key)
    if row is None:
        return None
    if row.phone:
        return row.phone
    person = session.get(Person, row.person_id) if row.person_id is not None else None
    return None if person is None else person.verified_phone


def grant_for_phone(session: Session, phone: str) -> Grant | None:
    """Return the role stored for `phone`, with its districts."""
    row = session.get(AdminGrant, phone, populate_existing=True)
    if row is None:
        return None
    districts = session.exec(select(AdminDistrict.district).where(AdminDistrict.phone == phone))
    return Grant(phone, Role(row.role), frozenset(districts))


def grant_of(session: Session, address: Address) -> Grant | None:
    """Return the role of the person behind `address`."""
    phone = phone_of(session, address)
    return None if phone is None else grant_for_phone(session, phone)


def store_grant(session: Session, grant: Grant, actor: str, now: datetime) -> None:
    """Give or replace the role of `grant.phone` and audit it."""
    remove_grant(session, grant.phone)
    session.add(AdminGrant(phone=grant.phone, role=grant.role.value, granted_by=actor,
                           granted_at=now))
    session.flush()
    keys = {d.casefold(): d for d in grant.districts}
    session.add_all(AdminDistrict(phone=grant.phone, district_key=key, district=name)
                    for key, name in keys.items())
    audit.record(session, actor=actor, action="admin.granted", subject=f"admin:{grant.phone}",
                 detail={"role": grant.role.value, "districts": sorted(keys)}, now=now)


def remove_grant(session: Session, phone: str) -> bool:
    """Delete the role of `phone` and its districts; tell whether there was one."""
    session.flush()
    session.exec(delete(AdminDistrict).where(col(AdminDistrict.phone) == phone))
    gone = session.exec(delete(AdminGrant).where(col(AdminGrant.phone) == phone))
    session.expire_all()
    return gone.rowcount > 0


def bootstrap(session: Session, phones: Iterable[str], now: datetime) -> None:
    """Make each phone a super-admin unless it already has that role."""
    for phone in phones:
        current = grant_for_phone(session, phone)
        if current is None or current.role is not Role.SUPER_ADMIN:
            store_grant(session, Grant(phone, Role.SUPER_ADMIN), SETTINGS_ACTOR, now)


def is_blocked(session: Session, phone: str) -> bool:
    """Tell whether `phone` is blocked."""
    return session.get(BlockedPhone, phone) is not None


def block(session: Session, phone: str, actor: str, now: datetime) -> bool:
    """Block `phone` once; audit when it is new."""
    added = insert_unless_exists(session, BlockedPhone,
                                 {"phone": phone, "blocked_by": actor, "blocked_at": now},
                                 key=("phone",))
    if added:
        audit.record(session, actor=actor, action="phone.blocked", subject=f"phone:{phone}",
                     detail={}, now=now)
    return added


def unblock(session: Session, phone: str, actor: str, now: datetime) -> bool:
    """Unblock `phone`; audit when it was blocked."""
    session.flush()
    gone = session.exec(delete(BlockedPhone).where(col(BlockedPhone.phone) == phone))
    session.expire_all()
    if gone.rowcount > 0:
        audit.record(session, actor=actor, action="phone.unblocked", subject=f"phone:{phone}",
                     detail={}, now=now)
    return gone.rowcount > 0


def admins_to_alert(session: Session, district: str) -> list[Contact]:
    """Return the addresses of the district's admins, else of every super-admin."""
    local = session.exec(select(AdminDistrict.phone).join(
        AdminGrant, AdminGrant.phone == AdminDistrict.phone)  # type: ignore[arg-type]
        .where(AdminDistrict.district_key == district.casefold(),
               col(AdminGrant.role).in_([Role.DISTRICT_ADMIN.value, Role.VERIFIER.value]))
    ).all()
    return _contacts(session, set(local)) or super_admins(session)


def super_admins(session: Session) -> list[Contact]:
    """Return the addresses of every super-admin."""
    supers = session.exec(select(AdminGrant.phone)
                          .where(AdminGrant.role == Role.SUPER_ADMIN.value)).all()
    return _contacts(session, set(supers))


def _contacts(session: Session, phones: set[str]) -> list[Contact]:
    """Return every address of the people with these phones, each in its language."""
    if not phones:
        return []
    people = select(Person.id).where(col(Person.verified_phone).in_(phones))
    keys = session.exec(select(AddressRow.key).where(or_(
        col(AddressRow.phone).in_(phones), col(AddressRow.person_id).in_(people)))
        .order_by(col(AddressRow.key))).all()
    return [Contact(Address.from_key(key), language_of(session, key) or DEFAULT_LANGUAGE)
            for key in keys]
