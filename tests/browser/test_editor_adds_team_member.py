"""An editor, in a real headless Chromium, adds a team member: a wrong avatar is explained, a right one is taken."""

import time
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image, ImageDraw
from wagtail.admin.models import EditingSession

from plugins.accounts.roles import MODERATORS
from plugins.profiles.models import Profile
from tests.browser.helpers import log_in
from tests.factories import TeamFactory, editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write_png(path, transparent: bool) -> str:
    image = Image.new("RGBA", (320, 320), (255, 255, 255, 0 if transparent else 255))
    ImageDraw.Draw(image).ellipse((20, 20, 300, 300), fill=(240, 120, 30, 255))
    out = BytesIO()
    image.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_editor_adds_a_team_member(live_server, migrated_data, page, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    TeamFactory(name="Website")
    user = editor(username="eddie")
    log_in(page, live_server, user)

    page.goto(f"{live_server.url}/admin/snippets/profiles/profile/")
    page.get_by_role("link", name="Add team member").click()
    page.wait_for_url("**/community/team-members/add/")
    page.fill("#id_first_name", "Grace")
    page.fill("#id_last_name", "Hopper")
    page.fill("#id_email", "grace@example.com")
    page.fill("#id_company_role", "Product Engineer")
    page.fill("#id_start_date", "2026-01-05")
    page.fill("#id_location", "Arlington, VA")
    page.select_option("#id_country", "US")
    page.select_option("#id_team", label="Website")
    page.set_input_files("#id_avatar", write_png(tmp_path / "opaque.png", transparent=False))
    page.get_by_role("button", name="Add team member").click()
    page.wait_for_load_state()

    error = page.locator("text=every pixel of this PNG is opaque")
    error.wait_for()
    assert error.is_visible()
    assert page.locator("[role=alert]", has_text="Nothing was saved").is_visible()
    assert page.input_value("#id_last_name") == "Hopper"  # nothing to type again but the file
    page.screenshot(path=str(tmp_path / "add-team-member-error.png"), full_page=True)
    assert not Profile.objects.filter(email="grace@example.com").exists()

    page.set_input_files("#id_avatar", write_png(tmp_path / "cut-out.png", transparent=True))
    page.get_by_role("button", name="Add team member").click()
    page.wait_for_url("**/admin/snippets/profiles/profile/edit/**")
    assert page.locator("text=Grace Hopper joins Website").is_visible()
    page.screenshot(path=str(tmp_path / "team-member-added.png"), full_page=True)

    profile = Profile.objects.get(email="grace@example.com")
    assert profile.avatar.width == 320 and profile.user.groups.filter(name=MODERATORS).exists()
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    assert page.console_errors == []
    # Leaving the edit page releases its editing session; let that request finish before the database is flushed.
    page.goto("about:blank")
    deadline = time.monotonic() + 10
    while EditingSession.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
