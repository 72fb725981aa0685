"""The demo community at a test's size: what the live-server tests (replay, browser) seed."""

from io import StringIO

from django.core.management import call_command

SMALL = (
    "--teams=3",
    "--team-members=6",
    "--members=12",
    "--achievements=4",
    "--reward-products=3",
    "--jobs=2",
)


def seed_small_demo(*extra: str) -> None:
    """``seed_demo`` at the small size, with ``extra`` options (``--awards=2``, say)."""
    call_command("seed_demo", "--allow-production", *SMALL, *extra, stdout=StringIO())
