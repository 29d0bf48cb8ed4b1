"""/forward gives an admin a phone-free text to paste into WhatsApp groups; others get nothing."""

from __future__ import annotations

from sqlmodel import Session

from bot.app import build_app
from bot.settings import Settings
from conversations.messages import Address
from tests.bot.conftest import FakeClock
from tests.bot.followup_world import say, speaks_english, texts
from tests.storage.broadcast_world import World

ADMIN = Address("console", "+919000000001")


def test_forward_gives_admins_a_phone_free_text(db_url: str, clock: FakeClock) -> None:
    app = build_app(Settings(database_url=db_url,
                             admin_phones=[ADMIN.user_id]), clock=clock)
    with Session(app.db) as session, session.begin():
        code = World(session).request()
        for who in (ADMIN, Address("console", "nobody")):
            speaks_english(session, who, clock)
    say(app, clock, ADMIN, f"/forward {code}", phone=ADMIN.user_id)
    say(app, clock, Address("console", "nobody"), f"/forward {code}")
    text = texts(app, ADMIN, "reply")[-1]
    assert code in text and "Never pay anyone" in text and "+91" not in text
    assert code not in texts(app, Address("console", "nobody"), "reply")[-1]
    app.db.dispose()


def test_forward_without_a_code_tells_the_admin_how_to_use_it(db_url: str,
                                                               clock: FakeClock) -> None:
    app = build_app(Settings(database_url=db_url, admin_phones=[ADMIN.user_id]), clock=clock)
    with Session(app.db) as session, session.begin():
        speaks_english(session, ADMIN, clock)
    say(app, clock, ADMIN, "/forward", phone=ADMIN.user_id)
    text = texts(app, ADMIN, "reply")[-1]
    assert "/forward R-4821" in text and "registergroup" not in text
    app.db.dispose()
