"""Tell an admin, in a sentence, why an action on a request did not go through."""

from __future__ import annotations

from conversations.admin_views import status_text
from conversations.i18n import Translator, _
from storage.domain.admin import ActionResult, Outcome

ALREADY: dict[str, str] = {
    "approve": _("{code} was already approved by another admin; it is {status} now."),
    "reject": _("{code} was already rejected."),
    "fulfilled": _("{code} was already marked fulfilled."),
    "close": _("{code} was already closed."),
}
ALREADY_APPROVED_BY_YOU = _("You already approved {code}; it is {status} now.")
CANNOT: dict[str, str] = {
    "approve": _("{code} is {status}; it cannot be approved."),
    "reject": _("{code} is {status}; it cannot be rejected."),
    "edit": _("{code} is {status}; it can no longer be edited."),
    "fulfilled": _("{code} is {status}; only a verified request can be marked fulfilled."),
    "close": _("{code} is {status}; it cannot be closed."),
}
NOT_FOUND = _("There is no request {code}. Please check the code; codes look like R-4821.")
OUT_OF_SCOPE = _("{code} is not in your districts, so you cannot act on it.")
SAME_ADMIN = _("You already approved {code}. A different admin must give the second approval.")
BAD_VALUE = _("That value does not fit this field; nothing was changed in {code}.")


def refusal_text(tr: Translator, action: str, code: str, result: ActionResult, *,
                 approved_by_me: bool = False) -> str | None:
    """Explain a refused action in the admin's language; None when it went through."""
    status = result.summary.status if result.summary is not None else None
    words = status_text(tr, status) if status is not None else ""
    match result.outcome:
        case Outcome.DONE | Outcome.NEEDS_SECOND_CHECK:
            return None
        case Outcome.ALREADY_DONE if action == "approve" and approved_by_me:
            return tr.t(ALREADY_APPROVED_BY_YOU, code=code, status=words)
        case Outcome.ALREADY_DONE if action in ALREADY:
            return tr.t(ALREADY[action], code=code, status=words)
        case Outcome.ALREADY_DONE | Outcome.WRONG_STATE:
            return tr.t(CANNOT[action], code=code, status=words)
        case Outcome.NOT_FOUND:
            return tr.t(NOT_FOUND, code=code)
        case Outcome.OUT_OF_SCOPE:
            return tr.t(OUT_OF_SCOPE, code=code)
        case Outcome.SAME_ADMIN:
            return tr.t(SAME_ADMIN, code=code)
        case Outcome.BAD_VALUE:
            return tr.t(BAD_VALUE, code=code)
    return None  # pragma: no cover - every outcome is handled above
