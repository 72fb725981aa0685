"""Computed attributes that clients filter and sort by (Strapi filters them as the columns they are there)."""

import pytest

from plugins.forum import moderation
from plugins.forum.services import ask, mark_solution, reply
from plugins.points.services import Posting, post
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db


def credit(profile, amount):
    post(profile, Posting(amount, "adjustment", "test", f"test-{profile.pk}-{amount}"))


def test_profiles_filter_and_sort_by_points_and_reputation(client, db):
    rich, middle, poor = (factories.ProfileFactory(first_name=n) for n in ("Rich", "Middle", "Poor"))
    credit(rich, 500)
    credit(middle, 50)
    by_reputation = get(client, "profiles", {"sort": "reputation:desc", "fields": ["firstName", "reputation"]})
    assert [p["firstName"] for p in by_reputation.json()["data"]] == ["Rich", "Middle", "Poor"]
    assert [p["reputation"] for p in by_reputation.json()["data"]] == [500, 50, 0]
    ascending = get(client, "profiles", {"sort": ["points:asc"], "fields": ["firstName"]}).json()["data"]
    assert [p["firstName"] for p in ascending] == ["Poor", "Middle", "Rich"]
    at_least = get(client, "profiles", {"filters": {"reputation": {"$gte": 50}}, "fields": ["firstName"]}).json()
    assert sorted(p["firstName"] for p in at_least["data"]) == ["Middle", "Rich"]
    assert get(client, "profiles", {"filters": {"points": {"$eq": "lots"}}}).status_code == 400


def test_questions_filter_by_archived_and_resolved_as_posthog_does(client, db):
    asker, helper = factories.ProfileFactory(), factories.ProfileFactory()
    ask(asker, subject="Open", body="?")
    solved = ask(asker, subject="Solved", body="?")
    mark_solution(solved, reply(helper, solved, body="This"), by_profile=asker)
    gone = ask(asker, subject="Gone", body="?")
    moderation.archive(gone, by=factories.moderator())
    moderator = factories.moderator()
    # posthog.com's forum list: not archived, written as Strapi 4 clients write it.
    not_archived = {"$or": [{"archived": {"$null": True}}, {"archived": {"$eq": False}}]}
    listed = get(client, "questions", {"filters": not_archived, "fields": ["subject"]}, **bearer(moderator))
    assert sorted(q["subject"] for q in listed.json()["data"]) == ["Open", "Solved"]
    archived = get(client, "questions", {"filters": {"archived": True}, "fields": ["subject"]}, **bearer(moderator))
    assert [q["subject"] for q in archived.json()["data"]] == ["Gone"]
    unresolved = get(client, "questions", {"filters": {"resolved": {"$eq": False}}, "fields": ["subject", "resolved"]})
    assert [(q["subject"], q["resolved"]) for q in unresolved.json()["data"]] == [("Open", False)]
    by_resolution = get(client, "questions", {"sort": ["resolved:desc", "subject:asc"], "fields": ["subject"]}).json()
    assert [q["subject"] for q in by_resolution["data"]] == ["Solved", "Open"]
    # The public never finds an archived question, however the filter is written.
    assert get(client, "questions", {"filters": {"archived": True}}).json()["data"] == []


def test_private_computed_attributes_are_not_filters_for_the_public(client, db):
    response = get(client, "questions", {"filters": {"internalTags": {"$contains": "follow"}}})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid key internalTags"


def test_teams_filter_and_sort_by_the_pineapple_verdict(client, db):
    yes, no, split = (factories.TeamFactory(name=n, slug=n.lower()) for n in ("Yes", "No", "Split"))
    factories.TeamFactory(name="Quiet", slug="quiet")
    for team, answers in ((yes, [True, True, False]), (no, [False]), (split, [True, False])):
        for answer in answers:
            factories.ProfileFactory(teams=[team], pineapple_on_pizza=answer)
    in_favour = get(client, "teams", {"filters": {"pineappleVerdict": "in_favour"}, "fields": ["name"]}).json()
    assert [t["name"] for t in in_favour["data"]] == ["Yes"]
    undecided = get(client, "teams", {"filters": {"pineappleVerdict": {"$eq": "undecided"}}, "fields": ["name"]})
    assert [t["name"] for t in undecided.json()["data"]] == ["Quiet"]
    by_share = get(
        client,
        "teams",
        {
            "sort": ["pineappleShareInFavour:desc", "name:asc"],
            "filters": {"pineappleShareInFavour": {"$notNull": True}},
        },
    ).json()["data"]
    assert [(t["name"], t["pineappleShareInFavour"]) for t in by_share] == [
        ("Yes", 0.6667),
        ("Split", 0.5),
        ("No", 0.0),
    ]
    assert get(client, "teams", {"filters": {"pineappleVerdict": "maybe"}}).json()["data"] == []


def test_the_public_question_list_does_not_load_the_moderator_panel(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asker = factories.ProfileFactory()
    ask(asker, subject="Open", body="?")
    get(client, "questions")  # the permission matrix, cached per process
    with CaptureQueriesContext(connection) as queries:
        rows = get(client, "questions").json()["data"]
    assert rows[0]["archived"] is False and rows[0]["resolved"] is False
    # archived and resolved come from the row; the asker's points and activity are for moderators.
    assert not any("points_pointsaccount" in q["sql"] for q in queries.captured_queries)
