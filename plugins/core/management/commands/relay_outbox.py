"""Hand what waits in the outbox to the task queue: events and tasks written while the queue was away, and
those a dead worker left. Run it beside the workers (``--forever``), or from cron."""

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from plugins.core.outbox import relay


class Command(BaseCommand):
    help = "Hand the outbox's waiting events and tasks to the task queue; delete delivered ones past OUTBOX_KEEP_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Keep relaying, every --interval seconds.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between turns with --forever.")

    def handle(self, *args, forever=False, interval=5.0, **options):
        while True:
            try:
                handed, waiting = relay()
            except DatabaseError as error:  # the database is away: try again next turn
                if not forever:
                    raise
                self.stderr.write(f"The outbox could not be read: {error}")
                handed, waiting = 0, None
            if handed or waiting or options["verbosity"] > 1:
                self.stdout.write(f"Handed over {handed}; {waiting if waiting is not None else '?'} waiting.")
            if not forever:
                return
            close_old_connections()
            time.sleep(interval)
