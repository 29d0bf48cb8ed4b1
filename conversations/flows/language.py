"""Language flow: choose English or Hindi on first contact or at any time."""

from __future__ import annotations

from conversations.flow import Answer, Flow, Option, Prompt, Step, Transition, Turn, finish, switch
from conversations.i18n import _

OPTIONS = (
    Option("en", _("English"), ("en", "angrezi", "अंग्रेज़ी", "अंग्रेजी")),
    Option("hi", _("हिन्दी"), ("hi", "hindi", "हिंदी")),
)

CHOOSE = _("Please choose your language.\nकृपया अपनी भाषा चुनें।")
CHOOSE_HELP = _(
    "Send 1 for English or 2 for Hindi. You can change it later by sending 'language'."
)
WELCOME = _(
    "Welcome to bloodbot. We connect patients' families with blood donors nearby, through "
    "volunteers who check every request. Blood donation is free: never pay anyone."
)


def ask_language(turn: Turn) -> Prompt:
    """Ask for the language, in both languages at once."""
    return Prompt(turn.t(CHOOSE), OPTIONS)


def on_language(turn: Turn, answer: Answer) -> Transition:
    """Store the chosen language, then continue to the menu or to a deep-linked flow."""
    turn.set_language(answer.choice or "en")
    then = turn.data.get("then")
    if isinstance(then, str):
        return switch(then, turn.t(WELCOME))
    return finish(turn.t(WELCOME))


FLOW = Flow(
    name="language",
    title=_("Language / भाषा"),
    steps=[Step("choose", ask_language, on_language, CHOOSE_HELP)],
)
