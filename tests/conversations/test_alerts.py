"""The alert a donor receives: phone-free, in their language, with the ways to answer."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from conversations.alerts import alert_message
from conversations.flows.request_summary import ANTI_SCAM
from conversations.followups import group_post
from conversations.i18n import Translator
from storage.domain.records import Attachment, RequestKind
from tests.conversations.admin_chat import ATTENDANT
from tests.conversations.donor_chat import verified

KOLKATA = ZoneInfo("Asia/Kolkata")
PHONE_LIKE = re.compile(r"\d[\d\s-]{7,}\d")


def test_the_alert_tells_the_need_without_any_phone_and_ends_warning_of_scams() -> None:
    services, code = verified(hospital_name="KGMU Trauma Centre, call 98765 43210")
    summary = services.requests[code][1]
    alert = alert_message(summary, 3.24, "en", KOLKATA)
    assert f"request {code}" in alert.text and "AB+" in alert.text and "3.2 km" in alert.text
    assert "KGMU Trauma Centre" in alert.text and "Fri 4 Dec, 8:00 PM" in alert.text
    assert f"Or send {code} to answer." in alert.text and alert.text.endswith(ANTI_SCAM)
    shown = alert.text + " ".join(alert.template_vars.values())
    assert ATTENDANT[3:] not in shown and "98765" not in shown
    assert not PHONE_LIKE.search(shown) and summary.draft.patient_name not in shown


def test_the_answers_are_buttons_that_send_respond_commands() -> None:
    services, code = verified()
    alert = alert_message(services.requests[code][1], 1.0, "en", KOLKATA)
    assert alert.choices_are_commands
    assert [(c.key, c.label) for c in alert.choices] == [
        (f"/respond {code} yes", "I can donate"), (f"/respond {code} no", "Not now"),
        (f"/respond {code} ineligible", "I'm not eligible")]


def test_a_hindi_donor_gets_the_alert_in_hindi() -> None:
    services, code = verified()
    alert = alert_message(services.requests[code][1], 3.24, "hi", KOLKATA)
    assert alert.text.startswith(f"आपके पास खून की ज़रूरत है — अनुरोध {code}")
    assert alert.text.endswith(Translator("hi").t(ANTI_SCAM))
    assert [c.label for c in alert.choices][1] == "अभी नहीं"


def test_a_replacement_request_asks_any_group() -> None:
    services, code = verified(kind=RequestKind.REPLACEMENT)
    text = alert_message(services.requests[code][1], 1.0, "en", KOLKATA).text
    assert "Any blood group" in text and "AB+" not in text


def test_approval_starts_the_broadcast_at_once() -> None:
    services, code = verified()
    assert code in services.broadcast.started


def test_neither_an_alert_nor_a_group_post_mentions_the_requisition_slip() -> None:
    slip = Attachment("https://api.twilio.com/2010-04-01/Media/ME-slip", "image/jpeg")
    services, code = verified(slip=slip)
    summary = services.requests[code][1]
    alert, post = alert_message(summary, 1.0, "en", KOLKATA), group_post(summary, KOLKATA)
    shown = " ".join([alert.text, post.text, *alert.template_vars.values(),
                      *post.template_vars.values()])
    assert summary.draft.slip == slip
    assert "ME-slip" not in shown and "slip" not in shown.lower()
