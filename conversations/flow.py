"""The declarative flow toolkit: steps, prompts, answers and transitions as values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from conversations.i18n import Translator
from conversations.messages import Address, GeoPoint, Inbound, Media, Notification, Outbound

if TYPE_CHECKING:
    from conversations.services import Services


DEFAULT_ZONE = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True)
class Option:
    """A choice a step offers: `label` is an English message id; `aliases` also pick it."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prompt:
    """The question a step asks, already translated, with its options."""

    text: str
    options: tuple[Option, ...] = ()
    ask_location: bool = False
    ask_phone: bool = False
    free_text: bool = False
    """With options: let text that matches no option reach the handler instead of re-asking."""
    takes_media: bool = False
    """A photo or document without text reaches the handler; elsewhere it is re-asked."""


@dataclass(frozen=True)
class Answer:
    """What the user sent at a step: the picked option's key, or text, location, phone, media."""

    text: str
    choice: str | None = None
    location: GeoPoint | None = None
    phone: str | None = None
    media: tuple[Media, ...] = ()


@dataclass(frozen=True)
class Goto:
    """Move to another step of the same flow, saying `say` first."""

    step: str
    say: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retry:
    """Stay at this step: explain what was wrong (`hint`) and ask again."""

    hint: str


@dataclass(frozen=True)
class Finish:
    """Leave the flow, saying `say`, then show the menu."""

    say: tuple[str, ...] = ()


@dataclass(frozen=True)
class Switch:
    """Start another flow with initial data."""

    flow: str
    say: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


Transition = Goto | Retry | Finish | Switch


def goto(step: str, *say: str) -> Goto:
    """Move to `step`."""
    return Goto(step, say)


def retry(hint: str) -> Retry:
    """Re-ask the current step with `hint`."""
    return Retry(hint)


def finish(*say: str) -> Finish:
    """End the flow."""
    return Finish(say)


def switch(flow: str, *say: str, data: dict[str, Any] | None = None) -> Switch:
    """Start `flow`."""
    return Switch(flow, say, dict(data or {}))


class Turn:
    """Everything a step may use during one turn; nothing here reads a clock or a database."""

    def __init__(
        self,
        *,
        inbound: Inbound,
        services: Services,
        now: datetime,
        lang: str,
        data: dict[str, Any],
        zone: ZoneInfo | None = None,
    ) -> None:
        self.inbound = inbound
        self.zone = zone or DEFAULT_ZONE
        """The zone times are shown to this user in."""
        self.services = services
        self.now = now
        self.lang = lang
        self.data = data
        self.notifications: list[Notification] = []
        self.language_chosen = False
        self._translator = Translator(lang)

    def set_language(self, lang: str) -> None:
        """Switch the user's language from this turn on."""
        self.lang = lang
        self.language_chosen = True
        self._translator = Translator(lang)

    @property
    def address(self) -> Address:
        """Return the sender's address."""
        return self.inbound.address

    def t(self, msgid: str, **values: Any) -> str:
        """Translate a message into the user's language."""
        return self._translator.t(msgid, **values)

    def notify(self, recipient: Address, message: Outbound, *, kind: str = "notice",
               idempotency_key: str | None = None) -> None:
        """Queue a message to another user; it is stored in the same transaction."""
        self.notifications.append(Notification(recipient, message, kind, idempotency_key))


@dataclass(frozen=True)
class Step:
    """One question: how it is asked, how its answer is handled, and its help text."""

    name: str
    prompt: Callable[[Turn], Prompt]
    handle: Callable[[Turn, Answer], Transition]
    help: str


def _default_start(flow: Flow) -> Callable[[Turn], Transition]:
    return lambda _turn: goto(flow.first)


@dataclass
class Flow:
    """A named sequence of steps; `start` may prepare data before the first step."""

    name: str
    title: str
    steps: Sequence[Step]
    version: int = 1
    start: Callable[[Turn], Transition] | None = None
    by_name: dict[str, Step] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {step.name: step for step in self.steps}
        if len(self.by_name) != len(self.steps):
            raise ValueError(f"duplicate step names in flow {self.name}")

    @property
    def first(self) -> str:
        """Return the first step's name."""
        return self.steps[0].name

    def begin(self, turn: Turn) -> Transition:
        """Return the transition that opens this flow."""
        return (self.start or _default_start(self))(turn)
