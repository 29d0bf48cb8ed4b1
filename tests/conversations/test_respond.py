"""A donor answers an alert: a pledge with a time, then contacts both ways; or not now."""

from __future__ import annotations

from datetime import timedelta

from conversations.flows.request_summary import ANTI_SCAM
from storage.domain.broadcast import AlertResponse
from tests.conversations.admin_chat import ATTENDANT
from tests.conversations.chat import NOW
from tests.conversations.donor_chat import DONOR_PHONE, actions, donor, family_heard, verified


def test_i_can_donate_asks_when_then_gives_the_ward_and_the_attendants_phone() -> None:
    services, code = verified()
    asha = donor(services, code)
    assert "When can you reach the hospital?" in asha.say(f"/respond {code} yes")
    said = asha.say("2")  # within 2 hours
    assert "Please reach the hospital by Fri 4 Dec, 4:00 PM" in said
    assert "Ward / bed: Ward 4, bed 12" in said and f"Ramesh Kumar, {ATTENDANT}" in said
    assert ANTI_SCAM in said
    assert services.broadcast.alerts[(asha.address.key, code)].pledge_eta == NOW + timedelta(
        hours=2)
    assert services.broadcast.pledged_units(code) == 1


def test_the_family_gets_the_donors_first_name_and_phone_when_the_donor_agreed() -> None:
    services, code = verified()
    asha = donor(services, code, share=True)
    asha.say(f"/respond {code} yes", "1")
    [heard] = family_heard(asha)
    assert "Asha, a blood donor, will reach KGMU Trauma Centre by" in heard
    assert DONOR_PHONE in heard and "Verma" not in heard
    assert actions(services, code)[-2:] == ["reveal.attendant_phone", "reveal.donor_phone"]


def test_without_consent_the_family_hears_that_a_donor_will_call() -> None:
    services, code = verified()
    asha = donor(services, code, share=False)
    asha.say(f"/respond {code} yes", "1")
    [heard] = family_heard(asha)
    assert "a blood donor will reach" in heard and "will call you" in heard
    assert DONOR_PHONE not in heard and "Asha" not in heard
    assert actions(services, code)[-1] == "reveal.attendant_phone"
    assert "reveal.donor_phone" not in actions(services, code)


def test_not_now_is_recorded_and_nothing_is_shared() -> None:
    services, code = verified()
    asha = donor(services, code)
    said = asha.say(f"/respond {code} no")
    assert "We will ask other donors" in said and ATTENDANT not in said
    assert services.broadcast.alerts[(asha.address.key, code)].response is AlertResponse.DECLINED
    assert family_heard(asha) == []


def test_not_eligible_is_recorded_and_offers_to_update_the_profile() -> None:
    services, code = verified()
    asha = donor(services, code)
    assert "update your profile" in asha.say(f"/respond {code} ineligible")
    alert = services.broadcast.alerts[(asha.address.key, code)]
    assert alert.response is AlertResponse.NOT_ELIGIBLE
    assert "Your donor profile:" in asha.say("1") and asha.step == ("profile", "overview")


def test_a_pledge_can_be_withdrawn_and_the_family_is_told() -> None:
    services, code = verified()
    asha = donor(services, code)
    asha.say(f"/respond {code} yes", "1")
    said = asha.say(f"/withdraw {code}")
    assert "withdrawn and the family has been told" in said
    [heard] = family_heard(asha)
    assert f"coming for request {code} by Fri 4 Dec, 3:00 PM can no longer come" in heard
    assert services.broadcast.pledged_units(code) == 0
    assert "You have no pledge" in asha.say(f"/withdraw {code}")
