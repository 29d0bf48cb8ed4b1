"""The console channel: prompts, user switching, locations and messages to other users."""

from __future__ import annotations

import asyncio
import io

from conversations.messages import Choice, Inbound, Media, Outbound
from handlers.console_channel import ConsoleChannel, render


def run_console(script: str) -> tuple[list[Inbound], str]:
    received: list[Inbound] = []
    out = io.StringIO()

    async def on_inbound(message: Inbound) -> None:
        received.append(message)
        await console.sender.send(message.address.user_id, Outbound(f"echo {message.text}"))
        await console.sender.send("ravi", Outbound("alert for ravi"))

    async def nothing() -> None:
        return None

    console = ConsoleChannel(user="asha", on_inbound=on_inbound, after_turn=nothing,
                             phone_of=lambda u: "+919812345678" if u[0] == "+" else None,
                             stdin=io.StringIO(script), out=out)
    asyncio.run(console.run())
    return received, out.getvalue()


def test_choices_render_as_a_numbered_list() -> None:
    message = Outbound("Blood group?", (Choice("a+", "A+"), Choice("b+", "B+")))
    assert render(message) == "Blood group?\n1. A+\n2. B+"


def test_lines_become_messages_from_the_current_user_with_a_prompt() -> None:
    received, out = run_console("hello\n")
    assert [m.text for m in received] == ["hello"] and received[0].address.user_id == "asha"
    assert "> echo hello" in out and out.count("> ") == 2


def test_messages_to_someone_else_come_under_a_header() -> None:
    _received, out = run_console("hi\n")
    assert "----- message to ravi -----\nalert for ravi" in out
    assert "----- message to asha" not in out


def test_as_switches_user_and_a_phone_user_is_verified() -> None:
    received, _out = run_console("/as +919812345678\nhi\n")
    assert received[0].address.user_id == "+919812345678"
    assert received[0].phone == "+919812345678"


def test_location_command_shares_coordinates_and_bad_use_is_explained() -> None:
    received, out = run_console("/location 25.43 81.84\n/location north\n")
    assert received[0].location is not None and received[0].location.latitude == 25.43
    assert len(received) == 1 and "usage: /location LAT LON" in out


def test_photo_command_sends_a_photo_or_pdf_by_its_address() -> None:
    received, out = run_console("/photo https://example.org/slip.png\n"
                                "/photo https://example.org/slip\n/photo\n"
                                "/photo https://example.org/song.mp3\n")
    assert [m.media for m in received] == [(Media("https://example.org/slip.png", "image/png"),),
                                           (Media("https://example.org/slip", "image/jpeg"),)]
    assert received[0].text == "" and out.count("usage: /photo URL") == 2
    assert any(line.startswith("  /photo URL") for line in out.splitlines())


def test_each_message_gets_a_unique_id_so_restarts_never_drop_one() -> None:
    received, _out = run_console("a\na\n")
    assert received[0].external_id != received[1].external_id


def test_command_choices_are_listed_to_type_not_numbered() -> None:
    message = Outbound("New request R-4821", (Choice("/approve R-4821", "Approve"),
                                              Choice("/show R-4821", "/show R-4821")),
                       choices_are_commands=True)
    assert render(message) == "New request R-4821\n• Approve: /approve R-4821\n• /show R-4821"
    assert Outbound.from_json(message.to_json()) == message


def test_a_slip_photo_is_shown_as_its_caption_and_where_to_see_it() -> None:
    slip = Outbound("Requisition slip of R-4821",
                    attachment=Media("telegram-file:A1", "image/jpeg"),
                    attachment_note="This chat cannot show the slip yet.")
    assert render(slip) == "Requisition slip of R-4821\n\nThis chat cannot show the slip yet."
