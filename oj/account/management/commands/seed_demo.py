from django.core.management.base import BaseCommand
from django.db import transaction

from oj.account.models import User
from oj.utils.demo_data import (
    CONTEST_PASSWORD,
    OPEN_API_APPKEY,
    PASSWORD,
    DemoData,
    flush,
)


class Command(BaseCommand):
    help = (
        "Fill the database with the demo data set: users (a super admin, an admin, "
        "a disabled user, an Open API user, students), problems with tags, "
        "contests, announcements, submissions, flowchart submissions, comments and "
        "messages. Does nothing when the data is already there, unless --flush."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete every user, problem, contest, ... first, then seed again.",
        )
        parser.add_argument(
            "--seed", type=int, default=20240601, help="Random seed of the data set."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if options["flush"]:
            flush()
        elif User.objects.filter(username="root").exists():
            self.stdout.write("Demo data already present (use --flush to recreate).")
            return
        counts = DemoData(options["seed"]).create()
        for label, count in counts.items():
            self.stdout.write(f"{label:30} {count:5}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded. Log in as root / admin / student01 with password "
                f"{PASSWORD!r}; Open API appkey {OPEN_API_APPKEY!r}; "
                f"contest password {CONTEST_PASSWORD!r}."
            )
        )
