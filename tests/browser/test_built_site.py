"""The built site in a real headless Chromium: the team page and a job page render, every image loads."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from plugins.jobs.models import JobListing
from tests.sitebuild.conftest import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ALL_IMAGES_LOADED = """() => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  return images.length > 0 && images.every((img) => img.complete);
}"""
BROKEN_IMAGES = "() => Array.from(document.images).filter((img) => img.naturalWidth === 0).map((img) => img.src)"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def built_site(demo, tmp_path):
    out = tmp_path / "site"
    build(out)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def demo(db):
    from plugins.demo.seeding import DemoSeeder
    from tests.sitebuild.conftest import SMALL

    return DemoSeeder(counts=SMALL, awards_per_member=2).run()


def visit(page, url, screenshot):
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url)
    page.wait_for_function(ALL_IMAGES_LOADED)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 20_000
    assert page.evaluate(BROKEN_IMAGES) == []
    assert failed == []
    assert page.console_errors == []


def test_team_page_and_a_job_page_render_with_their_images(built_site, page, tmp_path):
    visit(page, f"{built_site}/team/", tmp_path / "team.png")
    assert page.locator("h1").inner_text() == "Our team"
    assert page.locator("section.team").count() == 3
    assert page.locator(".member-lead").count() >= 3
    # The 2x file is chosen on a 2x screen: the crest's current source is the larger one.
    job = JobListing.objects.filter(live=True).order_by("title").first()
    visit(page, f"{built_site}/careers/{job.slug}/", tmp_path / "job.png")
    assert page.locator("h1").inner_text() == job.title
    assert page.locator("text=Who you would work with").is_visible()
    assert page.locator(".verdict").first.is_visible()


def test_retina_screens_get_the_2x_images(built_site, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{built_site}/team/")
    page.wait_for_function(ALL_IMAGES_LOADED)
    crest = page.locator("img.crest").first
    assert "original_images" in crest.evaluate("img => img.currentSrc")
    context.close()


def test_a_team_members_profile_shows_their_team_and_teammates_beside_it(built_site, page, tmp_path):
    from plugins.teams.models import Team

    team = Team.objects.filter(live=True).order_by("display_order").first()
    lead = team.lead_profiles.get()
    visit(page, f"{built_site}/community/profiles/{lead.pk}/", tmp_path / "team-member-profile.png")
    sidebar = page.locator("aside.team-sidebar")
    assert sidebar.locator("h2").inner_text() == team.name
    teammates = team.profiles.team_members().exclude(pk=lead.pk).count()
    assert sidebar.locator("li.member").count() == teammates
    # Beside the profile on a wide screen, not under it.
    assert sidebar.bounding_box()["x"] > page.locator("article.profile").bounding_box()["x"] + 400
    sidebar.locator("a.member-name").first.click()
    page.wait_for_url("**/community/profiles/*/")
    assert page.locator("aside.team-sidebar a.member-name", has_text=lead.first_name).is_visible()
