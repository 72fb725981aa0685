from datetime import date
from decimal import Decimal

import pytest

from plugins.accounts.models import Member
from plugins.forum.models import TopicGroup
from plugins.roadmap.models import TeamUpdate
from tests import factories


@pytest.fixture
def community(db):
    """A small, known community: two published teams, one draft team, profiles, a job, achievements."""
    growth = factories.TeamFactory(name="Growth", slug="growth", tagline="More users", display_order=2)
    infra = factories.TeamFactory(name="Infrastructure", slug="infra", tagline="Lights on", display_order=1)
    draft_team = factories.TeamFactory(name="Secret", slug="secret", live=False)
    avatar = factories.ImageFactory(title="Ada's avatar")
    ada = factories.ProfileFactory(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@private.example",
        start_date=date(2020, 1, 6),
        country="GB",
        location="London, UK",
        company_role="Engineer",
        pineapple_on_pizza=True,
        avatar=avatar,
        teams=[growth],
        github="ada",
    )
    ada.lead_teams.add(growth)
    grace = factories.ProfileFactory(
        first_name="Grace",
        last_name="Hopper",
        email="grace@private.example",
        start_date=date(2021, 3, 1),
        country="US",
        pineapple_on_pizza=False,
        teams=[infra, draft_team],
    )
    linus = factories.ProfileFactory(first_name="Linus", last_name="Torvalds", email="linus@private.example")
    job = factories.JobListingFactory(title="Backend engineer", teams=[growth], department="Engineering")
    group = factories.AchievementGroupFactory(name="Answers", tiered=True)
    first_answer = factories.AchievementFactory(title="First answer", points=10, group=group, tier="bronze")
    oracle = factories.AchievementFactory(title="Oracle", points=100, group=group, tier="gold")
    stickers = factories.RewardProductFactory(title="Stickers", price=100, stock=5)
    credit = factories.RewardProductFactory(
        title="$10 credit", price=400, kind="merch_credit", discount_amount=Decimal("10.00")
    )
    roadmap = factories.RoadmapItemFactory(
        title="Session replay for mobile",
        teams=[growth],
        github_urls=["https://github.com/example/repo/issues/1"],
        cta_label="Join the beta",
        cta_url="https://example.com/beta",
    )
    topic_group = TopicGroup.objects.create(label="Product")
    topic = factories.TopicFactory(label="Feature flags", group=topic_group)
    question = factories.QuestionFactory(subject="How do flags work?", author=linus, page="/docs/flags")
    question.topics.add(topic)
    reply = factories.ReplyFactory(question=question, author=grace, body="Like **this**.")
    team_update = TeamUpdate.objects.create(
        team=growth, roadmap=roadmap, question=question, description="Shipped replay", thing_of_the_week=True
    )
    account = Member.objects.get(pk=factories.UserFactory(username="community-member").pk)
    return {
        "account": account,
        "team_update": team_update,
        "topic_group": topic_group,
        "topic": topic,
        "question": question,
        "reply": reply,
        "roadmap": roadmap,
        "growth": growth,
        "infra": infra,
        "draft_team": draft_team,
        "ada": ada,
        "grace": grace,
        "linus": linus,
        "job": job,
        "group": group,
        "first_answer": first_answer,
        "oracle": oracle,
        "stickers": stickers,
        "credit": credit,
        "avatar": avatar,
    }
