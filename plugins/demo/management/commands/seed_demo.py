"""python manage.py seed_demo [--scale N] — fill the CMS with a realistic demo community."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plugins.core.progress import progress_bars
from plugins.demo.seeding import DemoSeeder


class Command(BaseCommand):
    help = (
        "Create a demo community: ~8 small teams, 40 team members, 300 members, 20 achievements, "
        "7 reward products, 10 job listings and 60 forum questions, with generated avatars. "
        "Idempotent; --scale multiplies every count. Prints local logins (new passwords on every run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every count (e.g. 30 for benchmarks).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")
        for kind in ("teams", "team-members", "members", "achievements", "reward-products", "jobs", "questions"):
            parser.add_argument(f"--{kind}", type=int, default=None, help=f"Exact number of {kind.replace('-', ' ')}.")
        parser.add_argument(
            "--awards", type=int, default=0, help="Achievements to give each team member, with their points."
        )
        parser.add_argument("--allow-production", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **options):
        # Wagtail logs every publish at INFO; thousands of those would bury the progress display.
        logging.getLogger("wagtail").setLevel(logging.WARNING)
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates logins with printed passwords; run it with DEBUG=1 or --allow-production."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be greater than 0.")
        counts = {
            kind.replace("-", "_"): options[kind.replace("-", "_")]
            for kind in ("teams", "team-members", "members", "achievements", "reward-products", "jobs", "questions")
            if options[kind.replace("-", "_")] is not None
        }
        if any(n < 1 for n in counts.values()):
            raise CommandError("Every count must be at least 1.")

        with progress_bars(self.stdout) as progress:
            seeder = DemoSeeder(
                scale=options["scale"], seed=options["seed"], counts=counts, awards_per_member=options["awards"]
            )
            tasks = {kind: progress.add_task(kind.replace("_", " "), total=n) for kind, n in seeder.counts.items()}
            seeder.progress = lambda kind, n: progress.advance(tasks[kind], n)
            report = seeder.run()

        for kind in [*seeder.counts, "roadmap_items", *(["awards"] if options["awards"] else [])]:
            self.stdout.write(
                f"{kind.replace('_', ' '):<16} {report.created.get(kind, 0):>6} created, "
                f"{report.existing.get(kind, 0):>6} already there"
            )
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /admin/ with:"))
        for role, username, password in report.logins:
            self.stdout.write(f"  {role:<26} username: {username:<28} password: {password}")
