"""End to end on a real SQLite file and a fake clock: from a family's request to a reminder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.followup_jobs import run_followups
from bot.jobs import run_due_waves
from tests.bot.conftest import FakeClock
from tests.bot.journey import ADMINS, FAMILY, approve, file_request, start_journey

HOSPITAL, ATTENDANT, DONOR_PHONE = "KGMU Trauma Centre", "+919812345678", "+919800000000"


def test_a_request_finds_a_donor_who_gives_is_thanked_and_reminded_once(
        tmp_path: Path, clock: FakeClock) -> None:
    journey = start_journey(tmp_path, clock)
    donor, code = journey.donor, file_request(journey)
    for admin in ADMINS:  # a first request from this number needs a second admin
        approve(journey, admin, code)
    assert run_due_waves(journey.app) == 1
    [alert] = journey.heard(donor, "alert")
    assert code in alert and HOSPITAL in alert and ATTENDANT not in alert
    journey.say(donor, f"/respond {code} yes", "1")  # within an hour: by 3:00 PM
    assert any(f"Attendant: Ramesh Kumar, {ATTENDANT}" in text for text in journey.heard(donor))
    [coming] = journey.heard(FAMILY, "donor_coming")
    assert f"will reach {HOSPITAL} by Fri 4 Dec, 3:00 PM" in coming and DONOR_PHONE in coming
    assert journey.audited(code)[-2:] == ["reveal.attendant_phone", "reveal.donor_phone"]
    clock.advance(hours=3, minutes=1)  # two hours after the pledged time
    run_followups(journey.app)
    journey.say(donor, f"/donated {code}")
    journey.say(FAMILY, f"/donorcame {code} {journey.donor_id}")
    assert journey.donations() == [(code, date(2026, 12, 4))]  # recorded once
    thanks = [text for text in journey.heard(donor) if text.startswith("Thank you for donating")]
    assert len(thanks) == 1 and HOSPITAL in thanks[0] and "4 March 2027" in thanks[0]
    clock.now = clock.now.replace(year=2027, month=3, day=4, hour=3, minute=29)  # 8:59 AM
    run_followups(journey.app)
    clock.advance(minutes=2)
    run_followups(journey.app)
    run_followups(journey.app)
    assert journey.notices(donor) == ["alert", "donor_outcome", "eligible_again"]
    assert journey.notices(FAMILY) == ["request_approved", "donor_coming", "attendant_outcome",
                                       "still_needed", "request_expired"]  # never answered
