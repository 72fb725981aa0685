"""python manage.py backfill_achievements [slug …] — award automatic achievements to members who qualify."""

from django.core.management.base import BaseCommand, CommandError

from plugins.achievements import rules
from plugins.achievements.models import Achievement
from plugins.achievements.triggers import Trigger


class Command(BaseCommand):
    help = "Award published automatic achievements (all, or the given slugs) to members who already qualify."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*")

    def handle(self, *args, **options):
        achievements = Achievement.objects.filter(live=True).exclude(trigger=Trigger.MANUAL)
        if options["slugs"]:
            achievements = achievements.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(achievements.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No published automatic achievement: {', '.join(sorted(missing))}")
        total = 0
        for achievement in achievements:
            given = rules.backfill(achievement)
            total += given
            self.stdout.write(f"{achievement.title:<40} {given:>6} awarded")
        self.stdout.write(self.style.SUCCESS(f"{total} awards in all"))
