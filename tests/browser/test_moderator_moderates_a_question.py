"""A moderator, in a real headless Chromium, opens a question from the list, reads who asked, and acts on it there;
then follows the asker panel to their points and gifts some."""

import pytest
from django.urls import reverse

from plugins.forum.models import InternalTag
from plugins.points.services import balance_of
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_reads_the_panel_and_moderates_from_the_question_page(live_server, migrated_data, page, tmp_path):
    moderator = factories.moderator(username="maude")
    asker = factories.ProfileFactory(
        first_name="Ada", last_name="Lovelace", email="", user=factories.UserFactory(email="ada@example.com")
    )
    question = factories.QuestionFactory(
        author=asker, subject="Flags vanish after deploy", body="My **feature flags** vanish after each deploy."
    )
    question.topics.add(factories.TopicFactory(label="Feature flags"))
    factories.ReplyFactory(question=question, body="Check the `persist` setting.", author__first_name="Grace")
    spam = factories.ReplyFactory(question=question, body="Cheap followers here", author__first_name="Spammy")
    InternalTag.objects.create(name="Internal: follow-up")

    # Tall enough for the whole page (the admin scrolls its content, which a full-page screenshot does not follow).
    page.set_viewport_size({"width": 1400, "height": 1500})
    log_in(page, live_server, moderator)
    page.goto(live_server.url + reverse("wagtailsnippets_forum_question:list"))
    page.locator("table.listing a", has_text="Flags vanish after deploy").first.click()
    page.wait_for_url(f"**{reverse('wagtailsnippets_forum_question:inspect', args=[question.pk])}")

    asker_panel = page.locator("#asker-section")
    assert asker_panel.get_by_text("Ada Lovelace").is_visible()
    assert asker_panel.get_by_text("ada@example.com").is_visible()
    assert page.locator(".question-page__body strong", has_text="feature flags").is_visible()
    page.screenshot(path=str(tmp_path / "question-page.png"), full_page=True)
    assert (tmp_path / "question-page.png").stat().st_size > 10_000

    page.select_option("#id_tag", "Internal: follow-up")
    page.locator("button", has_text="Add tag").click()
    page.wait_for_load_state()
    assert page.get_by_text("Internal tag “Internal: follow-up” added.").is_visible()

    page.locator(f"#reply-{spam.pk} button", has_text="Hide").click()
    page.wait_for_load_state()
    assert page.locator(f"#reply-{spam.pk} button", has_text="Show again").is_visible()

    page.locator("#moderation-section button", has_text="Archive").click()
    page.wait_for_load_state()
    assert page.get_by_text("Archived: out of listings and search.").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / "question-page-moderated.png"), full_page=True)

    # The panel leads to the asker's achievements and points, whose forms are Wagtail's too.
    page.locator("#asker-section a", has_text="Achievements and points").click()
    page.wait_for_url(f"**{reverse('community_profile_moderation', args=[asker.pk])}")
    page.fill("#id_gift-points", "25")
    page.fill("#id_gift-reason", "Thorough bug report")
    page.locator("button", has_text="Gift").click()
    page.wait_for_load_state()
    assert page.get_by_text("25 points gifted to Ada Lovelace.").is_visible()
    page.screenshot(path=str(tmp_path / "asker-points.png"), full_page=True)

    assert balance_of(asker) == 25
    question.refresh_from_db()
    spam.refresh_from_db()
    assert question.archived and spam.hidden
    assert list(question.internal_tags.values_list("name", flat=True)) == ["Internal: follow-up"]
    assert page.console_errors == []
