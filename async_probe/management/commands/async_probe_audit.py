"""``manage.py async_probe_audit``: each endpoint's hops, lazy loads and blocking
cache calls, measured in-process through the project's ASGI handler.

The logic lives in :mod:`async_probe.audit`; this module only parses options.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...audit.endpoints import LINE_FORMAT
from ...audit.main import OK, Options, SetupError, run
from ...audit.progress import TerminalProgress


def _count(minimum: int) -> Any:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}")
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Request endpoints in-process through the ASGI handler (and WSGI with "
        "--wsgi) and print each one's thread hops by cause, lazy loads, blocking "
        "cache calls and median time, then what to fix first. Without --url or "
        "--file, every argument-free GET route of the URLconf is requested. It is "
        "a real run against the configured database: requests with side effects "
        "have them. Exit status: 0 clean, 1 an async view lazily loaded or made a "
        "blocking cache call or a baseline budget regressed, 2 bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            action="append",
            default=[],
            dest="urls",
            metavar="PATH",
            help="GET this path (may carry ?query) or URL name; repeatable.",
        )
        parser.add_argument(
            "--file",
            action="append",
            default=[],
            dest="files",
            metavar="FILE",
            help="Endpoints to request: a JSON list of objects with path, method, "
            f"body, user, headers, content_type; or lines '{LINE_FORMAT}'. "
            "Repeatable.",
        )
        parser.add_argument(
            "--user", help="Log in as this username for --url and URLconf routes."
        )
        parser.add_argument(
            "--repeat",
            type=_count(1),
            metavar="N",
            default=5,
            help="Measured runs per endpoint (default 5).",
        )
        parser.add_argument(
            "--warmup",
            type=_count(0),
            metavar="N",
            default=1,
            help="Unmeasured runs first (default 1).",
        )
        parser.add_argument(
            "--wsgi", action="store_true", help="Also run every endpoint through WSGI."
        )
        parser.add_argument(
            "--json",
            nargs="?",
            const="-",
            metavar="FILE",
            help="Print a JSON list, one object per row, instead of the tables; "
            "with FILE, print the tables and write the JSON there.",
        )
        parser.add_argument(
            "--baseline",
            metavar="FILE",
            help="Compare with this baseline; write it when the file is missing.",
        )
        parser.add_argument(
            "--write-baseline",
            action="store_true",
            help="Write --baseline FILE from this run, even when it exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write_baseline"] and not options["baseline"]:
            raise CommandError("--write-baseline needs --baseline FILE", returncode=2)
        opts = Options(
            urls=options["urls"],
            files=options["files"],
            user=options["user"],
            repeat=options["repeat"],
            warmup=options["warmup"],
            wsgi=options["wsgi"],
            json=options["json"],
            baseline=options["baseline"],
            write_baseline=options["write_baseline"],
        )
        progress = None
        if self.stdout.isatty():
            progress = TerminalProgress(self._write_progress)
        try:
            outcome = run(opts, self.stdout.write, self.stderr.write, progress)
        except SetupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if outcome.status != OK:
            raise CommandError(
                f"async_probe audit: {outcome.message}", returncode=outcome.status
            )
        if opts.json != "-":
            self.stdout.write(f"\n{outcome.message}")

    def _write_progress(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()
