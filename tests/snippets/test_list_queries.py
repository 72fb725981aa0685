"""Every admin list costs the same queries with 2 rows as with 10: nothing is read per row.

Driven by the registered snippet viewsets, so a new one fails here until it has a row maker below;
each row carries data in every column its list shows (checked, not assumed), and half the
editorial rows have a draft and a scheduled revision, so the status tag has something to read.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import BaseColumn
from wagtail.models import DraftStateMixin
from wagtail.snippets.models import get_snippet_models

from plugins.achievements.models import Tier
from plugins.achievements.triggers import Trigger
from plugins.forum.models import DocsTopicMapping, InternalTag, TopicGroup
from plugins.rewards.models import Redemption, RedemptionStatus, RewardKind
from plugins.roadmap.models import TeamUpdate
from tests import factories

pytestmark = pytest.mark.django_db


def _n(model) -> int:
    return model.objects.count()


def achievement():
    group = factories.AchievementGroupFactory(tiered=True, icon=factories.ImageFactory())
    return factories.AchievementFactory(group=group, tier=Tier.GOLD, trigger=Trigger.QUESTIONS_ASKED, threshold=3)


def profile():
    return factories.ProfileFactory(
        user=factories.UserFactory(), company_role="Engineer", location="London", country="GB"
    )


def question():
    return factories.QuestionFactory(author=profile(), num_replies=2, archived_at=timezone.now())


def reply():
    return factories.ReplyFactory(question=question(), author=profile(), upvotes=3)


def team():
    made = factories.TeamFactory()
    factories.ProfileFactory(teams=[made], pineapple_on_pizza=True)
    return made


def job_listing():
    return factories.JobListingFactory(department="Engineering", location="Remote", teams=[team()])


def reward_product():
    return factories.RewardProductFactory(kind=RewardKind.MERCH_CREDIT, discount_amount=25, stock=10)


def roadmap_item():
    return factories.RoadmapItemFactory(category="Insights", projected_completion=date.today(), teams=[team()])


def redemption():
    product = reward_product()
    return Redemption.objects.create(
        profile=profile(),
        product=product,
        title=product.title,
        kind=product.kind,
        price=product.price,
        status=RedemptionStatus.ORDERED,
        idempotency_key=f"test-{_n(Redemption)}",
    )


def team_update():
    return TeamUpdate.objects.create(
        team=team(), description="Shipped it.", roadmap=roadmap_item(), question=question(), thing_of_the_week=True
    )


def topic():
    group = TopicGroup.objects.create(label=f"Group {_n(TopicGroup)}")
    return factories.TopicFactory(group=group)


def docs_topic_mapping():
    return DocsTopicMapping.objects.create(path_prefix=f"/docs/{_n(DocsTopicMapping)}/", topic=topic())


ROWS = {
    "achievements.achievement": achievement,
    "achievements.achievementgroup": lambda: factories.AchievementGroupFactory(tiered=True),
    "profiles.profile": profile,
    "teams.team": team,
    "jobs.joblisting": job_listing,
    "rewards.rewardproduct": reward_product,
    "rewards.redemption": redemption,
    "roadmap.roadmapitem": roadmap_item,
    "roadmap.teamupdate": team_update,
    "forum.question": question,
    "forum.reply": reply,
    "forum.topic": topic,
    "forum.topicgroup": lambda: TopicGroup.objects.create(label=f"Group {_n(TopicGroup)}"),
    "forum.docstopicmapping": docs_topic_mapping,
    "forum.internaltag": lambda: InternalTag.objects.create(name=f"Internal: {_n(InternalTag)}"),
}

SNIPPET_MODELS = sorted(get_snippet_models(), key=lambda model: model._meta.label_lower)


def make_rows(model, count, user):
    rows = [ROWS[model._meta.label_lower]() for _ in range(count)]
    if issubclass(model, DraftStateMixin):
        for row in rows[::2]:  # a draft waiting, and a revision scheduled to go live
            row.save_revision(user=user)
            scheduled = row.save_revision(user=user)
            scheduled.approved_go_live_at = timezone.now() + timedelta(days=7)
            scheduled.save()
    return rows


def shown_fields(model):
    """The model fields among the list's columns (a computed column has no field to check)."""
    view = model.snippet_viewset.index_view_class(**model.snippet_viewset.get_index_view_kwargs())
    names = [item.name if isinstance(item, BaseColumn) else item for item in view.list_display]
    fields = {field.name: field for field in model._meta.get_fields() if field.concrete}
    return [fields[name] for name in names if name in fields]


def list_queries(client, model) -> int:
    url = reverse(model.snippet_viewset.get_url_name("list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_every_registered_list_has_a_row_maker():
    assert {model._meta.label_lower for model in SNIPPET_MODELS} <= set(ROWS)


@pytest.mark.parametrize("model", SNIPPET_MODELS, ids=lambda model: model._meta.label_lower)
def test_list_queries_do_not_grow_with_rows(client, editor_user, model):
    client.force_login(editor_user)
    rows = make_rows(model, 2, editor_user)
    for row in rows:
        for field in shown_fields(model):
            value = getattr(row, field.attname)
            assert value not in (None, ""), f"{model._meta.label}.{field.name} is empty: the column shows nothing"
    client.get(reverse(model.snippet_viewset.get_url_name("list")))  # the first request fills per-process caches
    with_two = list_queries(client, model)
    make_rows(model, 8, editor_user)
    assert list_queries(client, model) == with_two
