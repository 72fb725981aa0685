"""Every relation of every content type, at populate depth 1, 2 and 3: the same number of queries at page
size 10 as at page size 100 with several times the rows, posts, awards, members and media.

Driven by the registry, so a new type or relation is measured without a line here. The data has rows on
every relation (``build_world``): Django skips a prefetch whose parents are empty, so a relation without
data would hide the very N+1 this is here to catch.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.registry import registry
from api.tokens import TokenKind, create_token
from plugins.achievements.models import AchievementAward
from plugins.forum.models import Subscription, TopicGroup
from plugins.roadmap.models import RoadmapSubscription, RoadmapVote, TeamUpdate
from plugins.teams.models import forget_pineapple_counts
from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db

FEW, MORE = 1, 3  # units of data before the first and the second measurement


def build_unit(n: int) -> None:
    """One of everything, linked to each other: a team with a lead and a member, their posts,
    awards, votes and subscriptions, and an image on every media field."""
    image = factories.ImageFactory
    group = TopicGroup.objects.create(label=f"Group {n}")
    topic = factories.TopicFactory(group=group)
    team = factories.TeamFactory(crest=image(), mini_crest=image(), team_image=image())
    lead = factories.ProfileFactory(avatar=image(), teams=[team], user=factories.UserFactory())
    member = factories.ProfileFactory(avatar=image(), teams=[team], user=factories.UserFactory())
    lead.lead_teams.add(team)
    topic.team_subscribers.add(team)
    factories.JobListingFactory(teams=[team])
    achievement = factories.AchievementFactory(group=factories.AchievementGroupFactory(icon=image()), icon=image())
    for profile in (lead, member):
        AchievementAward.objects.create(profile=profile, achievement=achievement)
    factories.RewardProductFactory(image=image())
    roadmap = factories.RoadmapItemFactory(teams=[team], image=image(), topic=topic)
    for profile in (lead, member):
        RoadmapVote.objects.create(profile=profile, item=roadmap)
        RoadmapSubscription.objects.create(profile=profile, item=roadmap)
    question = factories.QuestionFactory(author=member)
    question.topics.add(topic)
    question.pinned_topics.add(topic)
    answer = factories.ReplyFactory(question=question, author=lead)
    factories.ReplyFactory(question=question, author=member)
    question.solution = answer
    question.save()
    Subscription.objects.create(profile=member, question=question)
    Subscription.objects.create(profile=member, topic=topic)
    TeamUpdate.objects.create(team=team, roadmap=roadmap, question=question)


def populates(content_type, depth: int) -> list[tuple[str, dict]]:
    """One populate per relation, media field and component, ``depth`` levels deep."""
    found = []
    for name in content_type.populatable(include_private=True):
        relation = next((r for r in content_type.relations if r.name == name), None)
        if relation is None:
            if depth == 1:  # media and components have nothing below them to go deeper into
                found.append((name, {name: True}))
            continue
        found.append((name, {name: _nested(relation, depth)}))
    return found


def _nested(relation, depth: int):
    if depth == 1:
        return True
    target = registry.get(relation.target)
    if relation.link_entry:  # a component list: its target is one level further down
        return {"populate": {relation.link_entry: _nested_type(target, depth - 1)}}
    return _nested_type(target, depth - 1)


def _nested_type(target, depth: int):
    if depth == 1:
        return {"populate": "*"}
    return {"populate": {r.name: _nested(r, depth) for r in target.relations}}


@pytest.fixture
def token(settings):
    settings.API_POPULATE_MAX_ROWS = 10**6  # the limit is tested on its own; here every row is wanted
    _, key = create_token("query matrix", TokenKind.FULL_ACCESS)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def measure(client, token, plural, populate, page_size) -> tuple[int, int]:
    forget_pineapple_counts()  # each measurement starts with the same (empty) per-process counts
    params = {"populate": populate, "pagination": {"pageSize": page_size}, "publicationState": "preview"}
    with CaptureQueriesContext(connection) as queries:
        response = get(client, plural, params, **token)
    assert response.status_code == 200, (plural, populate, response.content[:400])
    return len(queries), len(response.json()["data"])


@pytest.mark.parametrize("plural", [t.plural for t in registry.all()])
def test_queries_per_relation_do_not_grow_with_page_size_or_rows(client, token, plural):
    content_type = registry.get(plural)
    cases = [(depth, name, populate) for depth in (1, 2, 3) for name, populate in populates(content_type, depth)]
    assert cases, f"{plural} has nothing to populate: the matrix has nothing to measure"
    for n in range(FEW):
        build_unit(n)
    get(client, plural, **token)  # warm the per-process permission cache, which is not per request
    few = {(depth, name): measure(client, token, plural, populate, 10) for depth, name, populate in cases}
    for n in range(FEW, FEW + MORE):
        build_unit(n)
    more = {(depth, name): measure(client, token, plural, populate, 100) for depth, name, populate in cases}
    first = (cases[0][0], cases[0][1])
    assert more[first][1] > few[first][1], "the second measurement must have more rows"
    grew = {key: (few[key][0], more[key][0]) for key in few if more[key][0] != few[key][0]}
    assert not grew, f"{plural}: queries (few rows, many rows) by (depth, relation): {grew}"
