"""python manage.py verify_ledger — recompute every balance from the ledger and report any drift."""

from django.core.management.base import BaseCommand, CommandError

from plugins.points.models import LedgerEntry, PointsAccount
from plugins.points.services import find_drift


class Command(BaseCommand):
    help = "Recompute every member's balance from their ledger entries; exit 1 if any balance drifted."

    def handle(self, *args, **options):
        drift = find_drift()
        accounts, entries = PointsAccount.objects.count(), LedgerEntry.objects.count()
        for item in drift:
            self.stdout.write(
                f"drift: account {item.account_id} (profile {item.profile_id}) balance {item.balance}, "
                f"entries sum to {item.sum_of_entries}"
            )
        if drift:
            raise CommandError(f"{len(drift)} of {accounts} balances drifted from their {entries} entries")
        self.stdout.write(self.style.SUCCESS(f"0 drift: {accounts} balances match their {entries} entries"))
