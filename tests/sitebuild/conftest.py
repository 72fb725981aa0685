import re
from pathlib import Path

import pytest

from plugins.demo.seeding import DemoSeeder
from plugins.sitebuild.build import SiteBuilder
from plugins.sitebuild.sources import InProcessSource

SMALL = {
    "teams": 3,
    "team_members": 12,
    "members": 15,
    "achievements": 6,
    "reward_products": 2,
    "jobs": 4,
    "questions": 10,
}


@pytest.fixture
def demo(db):
    """A small demo community: teams with members (some not started yet), jobs, awards, a forum."""
    return DemoSeeder(counts=SMALL, awards_per_member=2).run()


def build(out: Path, **kwargs):
    """A whole in-process build into ``out``; returns the builder's report."""
    return SiteBuilder(source=InProcessSource(), out=out, **kwargs).build()


def build_changed(out: Path, since=None, **kwargs):
    return SiteBuilder(source=InProcessSource(), out=out, **kwargs).build_changed(since)


def read(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text()


def profile_links(html: str, css_class: str = "member-name") -> list[int]:
    return [int(pk) for pk in re.findall(rf'class="{css_class}" href="/community/profiles/(\d+)/"', html)]


def tree(out: Path) -> dict[str, bytes]:
    """Every file of a built site, by path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
