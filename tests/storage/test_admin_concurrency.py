"""Two admins approving one request at the same moment, each in their own transaction."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from storage.admin import SqlAdminServices
from storage.db import session_scope
from storage.domain.addresses import Address
from storage.domain.admin import Outcome
from storage.domain.records import RequestStatus
from tests.storage.admin_backends import CHECKED, LUCKNOW_ADMIN, SUPER, sql_backend
from tests.storage.samples import NOW

NOW_LATER = NOW.replace(hour=15)


def file_request(engine: Engine, *, first: bool) -> str:
    """Set up admins and one request in a committed transaction; return its code."""
    with session_scope(engine) as session:
        backend = sql_backend(session)
        backend.setup_admins()
        return backend.first() if first else backend.file()


def approve_together(engine: Engine, code: str) -> list[Outcome]:
    """Let two admins approve `code` at once, each on its own session; return the outcomes."""
    barrier = threading.Barrier(2)

    def approve(admin: Address) -> Outcome:
        with session_scope(engine) as session:
            barrier.wait(timeout=5)
            return SqlAdminServices(session).approve(code, admin, CHECKED, NOW_LATER).outcome

    with ThreadPoolExecutor(max_workers=2) as pool:
        return sorted(pool.map(approve, [SUPER, LUCKNOW_ADMIN]))


def status_of(engine: Engine, code: str) -> tuple[RequestStatus, int]:
    """Return the stored status and how many approvals were recorded."""
    with session_scope(engine) as session:
        view = SqlAdminServices(session).view(code)
        assert view is not None
        return view.summary.status, len(view.approvals)


def test_exactly_one_of_two_simultaneous_approvals_wins(engine: Engine) -> None:
    code = file_request(engine, first=False)
    assert approve_together(engine, code) == [Outcome.ALREADY_DONE, Outcome.DONE]
    assert status_of(engine, code) == (RequestStatus.VERIFIED, 1)


def test_two_simultaneous_approvals_complete_a_second_check(engine: Engine) -> None:
    code = file_request(engine, first=True)
    assert approve_together(engine, code) == [Outcome.DONE, Outcome.NEEDS_SECOND_CHECK]
    assert status_of(engine, code) == (RequestStatus.VERIFIED, 2)
