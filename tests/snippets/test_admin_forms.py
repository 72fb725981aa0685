"""The admin's forms: tiered groups are marked before saving, the reward product's layout, and the
"Add team member" page in Wagtail's own page layout."""

import json
import re

import pytest
from django.db.models import SlugField
from django.urls import reverse
from wagtail.admin.panels import FieldRowPanel
from wagtail.snippets.models import get_snippet_models

from plugins.profiles.models import Profile
from plugins.rewards.models import RewardProduct
from snippets.rewards import RewardProductViewSet
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor_user):
    client.force_login(editor_user)
    return client


def test_achievement_form_marks_tiered_groups_and_enables_the_tier_only_for_them(editor_client):
    tiered = factories.AchievementGroupFactory(name="Answers", tiered=True)
    plain = factories.AchievementGroupFactory(name="Roadmap", tiered=False)
    html = editor_client.get(reverse("wagtailsnippets_achievements_achievement:add")).content.decode()

    assert f'<option value="{tiered.pk}">Answers (tiered)</option>' in html
    assert f'<option value="{plain.pk}">Roadmap</option>' in html
    tier = re.search(r'<select name="tier"[^>]*>', html).group(0)
    assert 'data-controller="w-rules"' in tier and 'data-w-rules-target="enable"' in tier
    rule = json.loads(re.search(r'data-w-rules="([^"]*)"', tier).group(1).replace("&quot;", '"'))
    assert rule == {"group": [str(tiered.pk)]}


def test_the_tier_rule_is_still_the_models_on_save(editor_client):
    """The browser only helps; a tier without a tiered group is refused by ``Achievement.clean`` as before."""
    plain = factories.AchievementGroupFactory(tiered=False)
    response = editor_client.post(
        reverse("wagtailsnippets_achievements_achievement:add"),
        {"title": "Helper", "points": 5, "group": plain.pk, "tier": "gold", "trigger": "manual", "threshold": 1},
    )
    assert response.status_code == 200
    assert "A tier needs a tiered achievement group." in response.content.decode()


def test_reward_product_form_gives_the_kind_its_own_row():
    """The kind's long labels beside the price squeezed the price to 80 px ("30(" for 300)."""
    rows = {
        tuple(child.field_name for child in panel.children)
        for panel in RewardProductViewSet.edit_handler.children
        if isinstance(panel, FieldRowPanel)
    }
    assert ("price", "discount_amount", "stock") in rows
    assert not any("kind" in row for row in rows)


def test_add_team_member_page_has_the_admins_header_and_footer(editor_client):
    html = editor_client.get(reverse("community_add_team_member")).content.decode()
    header = html[html.find("<header") : html.find("</header>")]
    profiles = reverse("wagtailsnippets_profiles_profile:list")
    assert "w-breadcrumbs" in header and f'href="{profiles}"' in header  # Wagtail's slim header, back to the list
    assert Profile._meta.verbose_name_plural.capitalize() in header
    assert '<h2 class="w-relative w-h1" id="header-title">' in html
    footer = html[html.find('<footer class="footer') :]
    assert "Add team member" in footer and 'type="submit"' in footer


@pytest.mark.parametrize("model", get_snippet_models(), ids=lambda model: model._meta.label_lower)
def test_every_slug_is_called_a_slug(editor_client, model):
    """One word in the admin: the reward product's ``handle`` (PostHog's field name) is labelled "Slug" too."""
    slugs = [field for field in model._meta.get_fields() if isinstance(field, SlugField)]
    for field in slugs:
        assert field.verbose_name == "slug", f"{model._meta.label}.{field.name}"
    if model is RewardProduct:
        product = factories.RewardProductFactory()
        html = editor_client.get(reverse("wagtailsnippets_rewards_rewardproduct:edit", args=[product.pk])).content
        assert b"Slug" in html and b"Handle" not in html
