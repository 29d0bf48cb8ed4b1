"""The bot's web app: webhooks from channels and a health check, served by uvicorn."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.slips import slip_routes

log = logging.getLogger(__name__)


def build_web(app: App, routes: Sequence[BaseRoute] = (),
              scheduler_running: Callable[[], bool] = lambda: False,
              leading: Callable[[], bool] = lambda: False) -> Starlette:
    """Return the ASGI app with `/healthz`, the channels' webhook routes and `/slips/<token>`.

    `/slips/<token>` serves a requisition slip to Twilio by a signed, expiring link
    (`bot.slips`), so that a WhatsApp admin can see the photo.

    `/healthz` says whether this process leads, i.e. ticks the scheduler for every process
    on the database (`bot.leader`); exactly one of them should say so.
    """

    async def healthz(_request: Request) -> JSONResponse:
        database = True
        try:
            with app.db.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check could not reach the database")
            database = False
        scheduler = scheduler_running()
        body = {"database": "ok" if database else "down",
                "scheduler": "running" if scheduler else "stopped", "leader": leading()}
        return JSONResponse(body, status_code=200 if database else 503)

    return Starlette(routes=[Route("/healthz", healthz), *slip_routes(app), *routes])
