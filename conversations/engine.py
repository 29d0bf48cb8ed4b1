"""The conversation engine: one deterministic step per inbound message."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from conversations import menu
from conversations.commands import UNKNOWN_COMMAND, SlashCommands, parse_slash
from conversations.flow import Answer, Finish, Flow, Goto, Option, Prompt, Retry, Switch, Turn
from conversations.i18n import LANGUAGES, Translator, translations_of
from conversations.messages import Choice, Inbound, Notification, Outbound
from conversations.state import ConversationState
from conversations.text import fold
from storage.domain.pledges import parse_request_code

if TYPE_CHECKING:
    from conversations.services import Services

LANGUAGE_FLOW = "language"
CODE_COMMAND = "respond"
"""The slash command a bare request code ("R-4821") or a `/start r-4821` deep link stands for."""


@dataclass
class TurnResult:
    """What one turn produced: the new state, replies to the sender, messages to others."""

    state: ConversationState
    replies: list[Outbound] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def match_option(text: str, options: Sequence[Option]) -> Option | None:
    """Pick the option named by number, key, label in any language or alias; else None."""
    folded = fold(text)
    if not folded:
        return None
    if folded.isdigit():
        index = int(folded) - 1
        return options[index] if 0 <= index < len(options) else None
    for option in options:
        names = {option.key, *option.aliases, *translations_of(option.label)}
        if folded in {fold(name) for name in names}:
            return option
    return None


def command_of(text: str) -> tuple[str | None, str]:
    """Return the global command a message names (if any) and its argument."""
    folded = fold(text)
    word, _, arg = folded.lstrip("/").partition(" ")
    if folded.startswith("/") and word in {"start", "menu", "help", "cancel", "language", "stop"}:
        return ("menu" if word == "start" else word), arg.strip()
    if folded.startswith("/"):
        return None, ""
    for command, words in menu.COMMAND_WORDS.items():
        if folded.lstrip("/") in words:
            return command, ""
    return None, ""


class Engine:
    """Route each inbound message: global commands, then the active step, then the menu."""

    def __init__(self, flows: Iterable[Flow], zone: ZoneInfo | None = None,
                 commands: SlashCommands | None = None) -> None:
        self.flows = {flow.name: flow for flow in flows}
        self.zone = zone
        self.commands = dict(commands or {})

    def step(
        self, state: ConversationState, inbound: Inbound, services: Services, now: datetime
    ) -> TurnResult:
        """Handle one message and return the next state with everything to send."""
        state = copy.deepcopy(state)
        lang = state.lang or ""
        turn = Turn(inbound=inbound, services=services, now=now,
                    lang=lang if lang in LANGUAGES else "en", data=state.data, zone=self.zone)
        replies: list[Outbound] = []
        result = TurnResult(state, replies, turn.notifications)
        self._route(state, turn, replies)
        if turn.language_chosen:
            state.lang = turn.lang
        return result

    def _route(self, state: ConversationState, turn: Turn, replies: list[Outbound]) -> None:
        inbound = turn.inbound
        if len(inbound.text) > menu.MAX_MESSAGE_CHARS:
            replies.append(Outbound(turn.t(menu.TOO_LONG, limit=menu.MAX_MESSAGE_CHARS)))
            self._reprompt(state, turn, replies)
            return
        command, arg = command_of(inbound.text)
        code = self._code_shortcut(state, inbound.text, command, arg)
        if code is not None:
            self._slash(CODE_COMMAND, [code], state, turn, replies)
        elif state.lang is None and state.flow != LANGUAGE_FLOW and not self._known_slash(
                inbound.text):  # a command (an admin's /approve) is answered, in English
            then = menu.DEEP_LINKS.get(arg) if command == "menu" else None
            self._enter(state, turn, replies, self.flows[LANGUAGE_FLOW],
                        {"then": then} if then else {})
        elif command is not None and not (state.lang is None and command == "menu"):
            self._command(command, arg, state, turn, replies)
        elif (slash := parse_slash(inbound.text)) is not None:
            self._slash(*slash, state, turn, replies)
        elif state.in_flow():
            self._answer(state, turn, replies)
        else:
            self._menu_choice(state, turn, replies)

    def _known_slash(self, text: str) -> bool:
        """Tell whether the text is one of the registered slash commands."""
        slash = parse_slash(text)
        return slash is not None and slash[0] in self.commands

    def _code_shortcut(self, state: ConversationState, text: str, command: str | None,
                       arg: str) -> str | None:
        """Return the request code of a deep link, or of a bare code sent outside a flow."""
        if CODE_COMMAND not in self.commands:
            return None
        if command == "menu":
            return parse_request_code(arg) if arg else None
        return None if command or state.in_flow() else parse_request_code(text)

    def _command(self, command: str, arg: str, state: ConversationState, turn: Turn,
                 replies: list[Outbound]) -> None:
        if command == "help":
            flow = self.flows.get(state.flow or "")
            step = flow.by_name.get(state.step or "") if flow else None
            if step is None:
                replies.append(Outbound(turn.t(menu.MENU_HELP)))
                self._show_menu(turn, replies)
                return
            replies.append(Outbound(f"{turn.t(step.help)}\n\n{turn.t(menu.STEP_HELP_FOOTER)}"))
            self._reprompt(state, turn, replies)
            return
        was_in_flow = state.in_flow()
        self._leave_flow(state)
        if command == "cancel":
            replies.append(Outbound(turn.t(menu.CANCELLED if was_in_flow
                                           else menu.NOTHING_TO_CANCEL)))
        elif command == "stop":
            turn.services.set_alert_consent(turn.address, False, turn.now)
            replies.append(Outbound(turn.t(menu.ALERTS_STOPPED)))
        elif command == "resume":
            profile = turn.services.donor_profile(turn.address)
            if profile is not None and not profile.consents.alerts:
                turn.services.set_alert_consent(turn.address, True, turn.now)
                replies.append(Outbound(turn.t(menu.ALERTS_RESUMED)))
        elif command == "language":
            self._enter(state, turn, replies, self.flows[LANGUAGE_FLOW], {})
            return
        elif command == "menu" and arg in menu.DEEP_LINKS:
            self._enter(state, turn, replies, self.flows[menu.DEEP_LINKS[arg]], {})
            return
        self._show_menu(turn, replies)

    def _slash(self, name: str, args: list[str], state: ConversationState, turn: Turn,
               replies: list[Outbound]) -> None:
        handler = self.commands.get(name)
        answer = handler(turn, args) if handler is not None else None
        if answer is None:
            replies.append(Outbound(turn.t(UNKNOWN_COMMAND)))
            self._reprompt(state, turn, replies)
            return
        replies.extend(answer.replies)
        if answer.enter is not None:
            self._leave_flow(state)
            self._enter(state, turn, replies, self.flows[answer.enter], answer.data)

    def _menu_choice(self, state: ConversationState, turn: Turn,
                     replies: list[Outbound]) -> None:
        inbound = turn.inbound
        option = match_option(inbound.text, menu.MENU_OPTIONS)
        if option is None and inbound.phone and not inbound.text.strip() \
                and inbound.location is None and not inbound.media:
            # A contact shared at the menu (how an admin on Telegram verifies their number).
            replies.append(Outbound(turn.t(menu.PHONE_SAVED, phone=inbound.phone)))
            self._show_menu(turn, replies)
        elif option is None:
            self._show_menu(turn, replies)
        elif option.key == "help":
            replies.append(Outbound(turn.t(menu.MENU_HELP)))
            self._show_menu(turn, replies)
        else:
            self._enter(state, turn, replies, self.flows[option.key], {})

    def _answer(self, state: ConversationState, turn: Turn, replies: list[Outbound]) -> None:
        flow = self.flows.get(state.flow or "")
        step = flow.by_name.get(state.step or "") if flow else None
        if flow is None or step is None or state.version != flow.version:
            self._leave_flow(state)
            replies.append(Outbound(turn.t(menu.RESET_AFTER_UPDATE)))
            self._show_menu(turn, replies)
            return
        inbound = turn.inbound
        prompt = step.prompt(turn)
        text = inbound.text.strip()
        media = inbound.media if prompt.takes_media else ()
        if not text and inbound.location is None and inbound.phone is None and not media:
            self._retry(state, turn, replies, turn.t(menu.EMPTY_MESSAGE))
            return
        choice = match_option(text, prompt.options) if prompt.options and text else None
        if prompt.options and choice is None and not prompt.free_text and not media and (
            inbound.location is None or not prompt.ask_location
        ) and (inbound.phone is None or not prompt.ask_phone):
            self._retry(state, turn, replies, turn.t(menu.PICK_AN_OPTION))
            return
        answer = Answer(text=text, choice=choice.key if choice else None,
                        location=inbound.location, phone=inbound.phone, media=media)
        self._apply(state, turn, replies, flow, step.handle(turn, answer))

    def _apply(self, state: ConversationState, turn: Turn, replies: list[Outbound],
               flow: Flow, transition: Goto | Retry | Finish | Switch) -> None:
        if isinstance(transition, Retry):
            self._retry(state, turn, replies, transition.hint)
            return
        replies.extend(Outbound(text) for text in transition.say)
        if isinstance(transition, Goto):
            state.step = transition.step
            self._reprompt(state, turn, replies)
        elif isinstance(transition, Finish):
            self._leave_flow(state)
            self._show_menu(turn, replies)
        else:
            self._leave_flow(state)
            self._enter(state, turn, replies, self.flows[transition.flow], transition.data)

    def _enter(self, state: ConversationState, turn: Turn, replies: list[Outbound],
               flow: Flow, data: dict[str, object]) -> None:
        state.flow, state.step, state.version = flow.name, None, flow.version
        state.data.clear()
        state.data.update(data)
        self._apply(state, turn, replies, flow, flow.begin(turn))

    def _retry(self, state: ConversationState, turn: Turn, replies: list[Outbound],
               hint: str) -> None:
        replies.append(Outbound(hint))
        self._reprompt(state, turn, replies)

    def _reprompt(self, state: ConversationState, turn: Turn, replies: list[Outbound]) -> None:
        flow = self.flows.get(state.flow or "")
        step = flow.by_name.get(state.step or "") if flow else None
        if step is None:
            self._show_menu(turn, replies)
            return
        replies.append(render(step.prompt(turn), turn))

    def _show_menu(self, turn: Turn, replies: list[Outbound]) -> None:
        replies.append(render(Prompt(turn.t(menu.MENU_TEXT), menu.MENU_OPTIONS), turn))

    @staticmethod
    def _leave_flow(state: ConversationState) -> None:
        state.flow = state.step = None
        state.version = 0
        state.data.clear()


def render(prompt: Prompt, turn: Turn) -> Outbound:
    """Turn a step's prompt into an Outbound in the user's language."""
    translator = Translator(turn.lang)
    return Outbound(
        text=prompt.text,
        choices=tuple(Choice(o.key, translator.t(o.label)) for o in prompt.options),
        ask_location=prompt.ask_location,
        ask_phone=prompt.ask_phone,
    )
