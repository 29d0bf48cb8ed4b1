"""The main menu and the global commands that work at every step."""

from __future__ import annotations

from conversations.flow import Option
from conversations.i18n import _

MENU_OPTIONS: tuple[Option, ...] = (
    Option("request", _("Request blood for a patient"), ("request", "blood", "khoon")),
    Option("signup", _("Register as a blood donor"), ("donate", "donor", "register")),
    Option("profile", _("My profile"), ("profile", "me")),
    Option("language", _("Language / भाषा"), ()),
    Option("help", _("Help"), ()),
)

COMMAND_WORDS: dict[str, frozenset[str]] = {
    "menu": frozenset({"menu", "main menu", "hi", "hello", "namaste", "मेनू", "मेन्यू",
                       "नमस्ते"}),
    "resume": frozenset({"start", "unstop", "शुरू", "शुरू करें"}),
    "help": frozenset({"help", "madad", "मदद", "सहायता", "?"}),
    "cancel": frozenset({"cancel", "exit", "quit", "radd", "रद्द", "रद्द करें", "बंद करें"}),
    "language": frozenset({"language", "lang", "bhasha", "भाषा"}),
    "stop": frozenset({"stop", "stop all", "unsubscribe", "रोकें"}),
}
"""Words (after folding, with or without a leading slash) that act as global commands."""

DEEP_LINKS: dict[str, str] = {"donate": "signup", "request": "request", "profile": "profile"}
"""`/start <payload>` payloads that open a flow directly."""

MENU_TEXT = _("What would you like to do? Send the number of your choice.")
MENU_HELP = _(
    "I help patients' families find blood donors, and donors find people who need them.\n"
    "Send the number of a choice. At any time: 'menu' for this list, 'cancel' to stop what "
    "you are doing, 'language' to switch between English and Hindi, 'stop' to get no more "
    "alerts."
)
STEP_HELP_FOOTER = _("Send 'cancel' to stop (nothing is saved) or 'menu' for the main menu.")
CANCELLED = _("Cancelled. Nothing was saved.")
NOTHING_TO_CANCEL = _("There is nothing to cancel.")
PICK_AN_OPTION = _("Please send the number of one of the choices.")
EMPTY_MESSAGE = _("I did not receive any text.")
TOO_LONG = _("That message is too long (at most {limit} characters). Please send it shorter.")
RESET_AFTER_UPDATE = _(
    "Sorry, the bot was updated and this conversation had to start again. Nothing you "
    "confirmed earlier is lost."
)
ALERTS_STOPPED = _(
    "You will get no more blood request alerts. To get them again, send START."
)
ALERTS_RESUMED = _("Blood request alerts are on again. Thank you! Send STOP at any time.")
APOLOGY = _(
    "Sorry, something went wrong on our side and your last message was not saved. Please send "
    "it again. If a patient needs blood urgently, also call your nearest blood bank."
)
PHONE_SAVED = _("Thank you: your number {phone} is saved as verified.")
SLOW_DOWN = _(
    "You are sending messages very fast, so I have paused for a minute. Please wait, then send "
    "your last message again."
)
MAX_MESSAGE_CHARS = 1000
