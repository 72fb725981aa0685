"""An editor opens the admin's home page in a real headless Chromium, with the demo data, and sees the
community dashboard: every chart drawn by the Chart.js the project ships, showing what the database holds."""

import re

import pytest
from django.utils import timezone

from plugins.points.services import gift
from plugins.profiles.models import Profile
from plugins.rewards.models import RewardKind, RewardProduct
from plugins.rewards.services import place_order, redeem
from tests import factories
from tests.browser.helpers import log_in
from tests.small_demo import seed_small_demo
from tests.snippets.dashboard_expected import expected_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["questions", "first-reply", "waiting", "points", "helpful"]
# Every chart exists (Chart.js made it) and has painted pixels on its canvas.
CHARTS_DRAWN = """(names) => names.every((name) => {
  const canvas = document.querySelector(`canvas[data-chart="${name}"]`);
  if (!canvas || !window.Chart || !Chart.getChart(canvas)) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
})"""
CHART_DATA = """() => Object.fromEntries(Array.from(document.querySelectorAll("canvas[data-chart]")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  return [canvas.dataset.chart, {labels: chart.data.labels, series: chart.data.datasets.map((d) => d.data)}];
}))"""


def seed_demo() -> None:
    """The demo data, small, with achievements awarded (their points are in the ledger)."""
    seed_small_demo("--questions=30", "--awards=2")


def store_activity(moderator) -> None:
    """What the demo does not do: a moderator's gift, and a member who redeems stickers and orders them."""
    member = Profile.objects.filter(user__isnull=False, blocked_at=None, teams=None).order_by("pk").first()
    stickers = RewardProduct.objects.filter(kind=RewardKind.PRODUCT, live=True).order_by("price").first()
    gift(member, stickers.price, "Thanks for the talk at the meetup", given_by=moderator)
    redemption = redeem(member, stickers, idempotency_key="dashboard").redemption
    place_order(redemption, {"name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "London", "country": "GB"})


def name(profile) -> str:
    return profile.full_name or profile.user.get_username()


def test_the_dashboard_draws_its_charts_from_the_demo_data(live_server, migrated_data, page, tmp_path):
    seed_demo()
    moderator = factories.moderator(username="maude")
    store_activity(moderator)
    editor = factories.editor(username="eddie")

    page.emulate_media(reduced_motion="reduce")  # the charts' final frame at once, for the screenshot
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(error))  # an exception in the dashboard's script
    log_in(page, live_server, editor)
    # Tall enough for the whole dashboard: the admin scrolls its main column, not the page.
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.wait_for_function(CHARTS_DRAWN, arg=CHARTS)
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 50_000
    dashboard = page.locator("[data-community-dashboard]")

    # What the charts show is what the database holds (counted again from its rows).
    expected = expected_figures(timezone.now())
    charts = page.evaluate(CHART_DATA)
    questions = expected["questions"]
    assert len(charts["questions"]["labels"]) == 12
    assert charts["questions"]["series"] == [questions["asked"], questions["answered"]]
    assert charts["first-reply"]["series"] == [questions["medianFirstReplyHours"]]
    assert sum(questions["asked"]) > 0 and any(h is not None for h in questions["medianFirstReplyHours"])
    topics = expected["waiting"]["topics"]
    assert topics and charts["waiting"] == {"labels": [t for t, _ in topics], "series": [[n for _, n in topics]]}
    points = expected["points"]
    assert charts["points"]["series"] == [points["earned"], points["gifted"], points["redeemed"]]
    assert all(sum(points[figure]) > 0 for figure in points)  # awards, the gift, the stickers
    helpers = expected["helpful"]
    assert helpers and charts["helpful"] == {
        "labels": [name(profile) for profile, _, _ in helpers],
        "series": [[s for _, s, _ in helpers], [h for _, _, h in helpers]],
    }

    # And the totals beside them.
    def total(key):
        return dashboard.locator(f'[data-total="{key}"]').first.inner_text()

    assert total("asked") == str(sum(questions["asked"]))
    assert total("waiting") == str(expected["waiting"]["total"])
    assert total("to-fulfil") == str(expected["openOrders"]["toFulfil"]) == "1"
    assert total("earned") == f"{sum(points['earned'])} earned"

    # A topic's entry opens the admin's list of exactly its questions waiting for an answer.
    label, count = topics[0]
    dashboard.locator('[data-list="waiting"] a', has_text=re.compile(rf"^{re.escape(label)}: {count}$")).click()
    page.wait_for_url("**/admin/snippets/forum/question/**")
    rows = page.locator("table.listing tbody tr")
    rows.first.wait_for()
    assert rows.count() == count
    page.screenshot(path=str(tmp_path / "waiting-in-topic.png"), full_page=True)
    assert page.console_errors == [] and page_errors == []
