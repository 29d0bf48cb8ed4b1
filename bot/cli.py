"""The `bloodbot` command line: run the bot, chat in the console, manage the database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session

from bot.app import App, build_app
from bot.channels import build_channels
from bot.demo import count_donors, seed_demo
from bot.demo_donors import MAX_DONORS
from bot.demo_report import describe
from bot.jobs import run_due_waves
from bot.logs import configure_logging
from bot.server import serve
from bot.settings import Settings
from bot.telegram_startup import TelegramStartFailed
from conversations.messages import Inbound
from handlers.console_channel import ConsoleChannel
from storage.admin import SqlAdminServices
from storage.db import make_engine, upgrade_schema
from storage.domain.addresses import Address
from storage.domain.admin import Grant, Role
from storage.domain.phones import mask_phone, normalize_phone

log = logging.getLogger(__name__)

MIN_DEMO_DONORS = 20
"""Fewer donors than this leave some groups and districts of the demo empty."""

OPERATOR = Address("cli", "operator")
"""Who the audit log names for roles granted from the command line."""


def parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    top = argparse.ArgumentParser(
        prog="bloodbot",
        description="A chatbot that gets blood to patients in time. Settings come from the "
                    "environment or a .env file (see .env.example).",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot on every channel that has credentials; "
                                    "with none, open the console")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal (or pipe stdin)")
    chat.add_argument("--as", dest="user", default="me", metavar="NAME_OR_PHONE",
                      help="who you are in the chat; a phone number counts as verified")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    admin = commands.add_parser("admin", help="grant or revoke admin roles")
    admin_commands = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    add = admin_commands.add_parser("add", help="give a phone number an admin role")
    add.add_argument("phone", nargs="+", help="the phone number, spaces allowed")
    add.add_argument("--role", choices=[role.value for role in Role],
                     default=Role.SUPER_ADMIN.value)
    add.add_argument("--district", action="append", default=[], metavar="DISTRICT",
                     help="a district the role covers (repeat for several)")
    remove = admin_commands.add_parser("remove", help="take away a phone number's role")
    remove.add_argument("phone", nargs="+", help="the phone number, spaces allowed")
    demo = commands.add_parser("demo", help="fill the database with a demo network: donors, "
                                            "admins and pending requests")
    demo.add_argument("--donors", type=int, default=300, metavar="N", help="how many donors")
    demo.add_argument("--seed", type=int, default=7, metavar="S",
                      help="the random seed: the same seed gives the same network")
    demo.add_argument("--force", action="store_true",
                      help="add the demo even if the database already has donors")
    return top


def demo(settings: Settings, args: argparse.Namespace) -> int:
    """Seed the demo network, unless the database already has donors and --force is absent."""
    if not MIN_DEMO_DONORS <= args.donors <= MAX_DONORS:
        print(f"--donors must be from {MIN_DEMO_DONORS} to {MAX_DONORS}.", file=sys.stderr)
        return 2
    db = make_engine(settings.database_url)
    upgrade_schema(db)
    try:
        existing = count_donors(db)
        if existing and not args.force:
            print(f"This database already has {existing} donors, so the demo was not added. "
                  "Point DATABASE_URL at a new file, or add --force to add it anyway.",
                  file=sys.stderr)
            return 1
        summary = seed_demo(db, now=datetime.now(UTC), rng_seed=args.seed,
                            donors=args.donors, zone=settings.zone)
    finally:
        db.dispose()
    print(describe(summary, settings.zone))
    return 0


def administer(settings: Settings, args: argparse.Namespace) -> int:
    """Grant or revoke a role from the command line, audited as the operator."""
    phone = normalize_phone(" ".join(args.phone), settings.default_region)
    if phone is None:
        print("That is not a valid phone number.", file=sys.stderr)
        return 2
    role = Role(getattr(args, "role", Role.SUPER_ADMIN.value))
    districts = frozenset(getattr(args, "district", []))
    if role is not Role.SUPER_ADMIN and not districts:
        print("A district admin or verifier needs at least one --district.", file=sys.stderr)
        return 2
    db = make_engine(settings.database_url)
    upgrade_schema(db)
    now = datetime.now(UTC)
    with Session(db) as session, session.begin():
        services = SqlAdminServices(session)
        if args.admin_command == "add":
            services.grant(Grant(phone, role, districts), OPERATOR, now)
            print(f"{mask_phone(phone)} is now {role.value.replace('_', ' ')}.")
        elif services.revoke(phone, OPERATOR, now):
            print(f"{mask_phone(phone)} is no longer an admin.")
        else:
            print(f"{mask_phone(phone)} had no admin role.")
    db.dispose()
    return 0


async def chat(app: App, user: str) -> None:
    """Open the console channel on the app's runtime."""
    region = app.settings.default_region

    def phone_of(name: str) -> str | None:
        return normalize_phone(name, region) if any(ch.isdigit() for ch in name) else None

    async def on_inbound(inbound: Inbound) -> None:
        await app.runtime.handle(inbound)

    console: ConsoleChannel

    async def after_turn() -> None:
        await asyncio.to_thread(run_due_waves, app)  # an approval's alerts print at once
        await app.courier({"console": console.sender}).drain()

    console = ConsoleChannel(user=user, on_inbound=on_inbound, after_turn=after_turn,
                             phone_of=phone_of)
    await console.run()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named on the command line."""
    args = parser().parse_args(argv)
    settings = Settings()
    configure_logging("WARNING")
    if args.command == "admin":
        return administer(settings, args)
    if args.command == "demo":
        return demo(settings, args)
    if args.command == "migrate":
        upgrade_schema(make_engine(settings.database_url))
        print("Database is up to date.")
        return 0
    if args.command in ("run", None):
        app = build_app(settings)
        channels = build_channels(app)
        if not channels:
            print("No channel credentials configured: opening the console channel.",
                  file=sys.stderr)
            asyncio.run(chat(app, "me"))
            return 0
        configure_logging(settings.log_level)
        try:
            asyncio.run(serve(app, channels))
        except TelegramStartFailed as failed:  # retrying cannot help: say what to fix
            print(f"bloodbot could not start: {failed}", file=sys.stderr)
            return 1
        return 0
    if args.command == "chat":
        asyncio.run(chat(build_app(settings), args.user))
        return 0
    parser().print_help()
    return 2
