"""python manage.py create_api_token NAME [--kind read-only|full-access|custom] [--permission profiles.find …]"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api.models import TokenKind
from api.tokens import TokenError, create_token


class Command(BaseCommand):
    help = "Create a Strapi-style API token and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--kind", choices=TokenKind.values, default=TokenKind.READ_ONLY)
        parser.add_argument(
            "--permission", action="append", default=[], help="For custom tokens: <content type>.<action>, repeatable."
        )
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days (default: never).")
        parser.add_argument("--description", default="")

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be at least 1")
        expires = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        try:
            token, key = create_token(
                options["name"], options["kind"], options["permission"], expires, options["description"]
            )
        except TokenError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"Created {token}. Copy the token now: it is not shown again.")
        self.stdout.write(key)
