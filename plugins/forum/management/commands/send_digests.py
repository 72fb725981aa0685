from django.core.management.base import BaseCommand

from plugins.forum.digests import daily_digests, next_run, send_digests


class Command(BaseCommand):
    help = (
        "Send today's topic digests (one e-mail per subscriber a day, never empty, no question twice). "
        "With --schedule, queue the daily task instead; the task worker then runs it every day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the self-rescheduling daily task.")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            when = next_run()
            daily_digests.using(run_after=when).enqueue(reschedule=True)
            self.stdout.write(f"Daily digests queued; the first run is at {when:%Y-%m-%d %H:%M %Z}.")
            return
        sent = send_digests()
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
