"""``api.query.rows``: instances built from the row without ``Model.__init__`` behave as Django's own."""

import pickle

import django
import pytest
from django.db.models import Model

from api.query.rows import RowIterable, _plain, as_rows
from plugins.assets.models import CommunityImage
from plugins.forum.models import Question
from plugins.profiles.models import Profile
from plugins.teams.models import Team
from tests.factories import ImageFactory, QuestionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_rows_is_a_copy_of_this_django_versions_model_iterable():
    # RowIterable repeats ModelIterable.__iter__ of Django 5.2 with one call changed: on another
    # version, compare the two again and update the copy (then this line).
    assert django.VERSION[:2] == (5, 2)


def test_models_that_run_code_when_made_are_built_the_usual_way():
    assert _plain(Team) and _plain(Question)
    assert not _plain(Profile)  # its own from_db keeps the loaded account and avatar
    assert not _plain(CommunityImage)  # Wagtail's __init__, and the image field's post_init


def test_a_row_is_the_instance_django_builds():
    team = TeamFactory(name="Growth", crest=ImageFactory())
    queryset = Team.objects.filter(pk=team.pk).only("name", "slug", "crest", "created_at")
    assert as_rows(queryset)._iterable_class is RowIterable
    ours, theirs = as_rows(queryset).get(), queryset.get()
    assert type(ours) is Team and ours == theirs and hash(ours) == hash(theirs)
    assert {k: v for k, v in vars(ours).items() if k != "_state"} == {
        k: v for k, v in vars(theirs).items() if k != "_state"
    }
    assert (ours._state.adding, ours._state.db) == (False, "default")
    assert ours.get_deferred_fields() == theirs.get_deferred_fields() != set()
    # A deferred field loads on access, a foreign key follows, and the row saves like any other.
    assert ours.tagline == team.tagline and ours.crest == team.crest
    ours.name = "Growth engineering"
    ours.save(update_fields=["name"])
    assert Team.objects.get(pk=team.pk).name == "Growth engineering"
    assert pickle.loads(pickle.dumps(ours)) == ours  # noqa: S301  (our own bytes)


def test_prefetched_relations_and_joined_rows_are_rows_too():
    question = QuestionFactory()
    queryset = as_rows(Question.objects.filter(pk=question.pk).select_related("author"))
    row = queryset.get()
    assert isinstance(row, Model) and row.author == question.author
    assert isinstance(row.author, Profile) and row.author._loaded_user_id == question.author.user_id


def test_a_queryset_populated_twice_is_populated_once_by_the_later_plan():
    from api.query.access import Access
    from api.query.execute import related, visible, with_populate
    from api.query.selection import SelectionParser
    from api.registry import registry

    question = QuestionFactory()
    access = Access()
    profiles = registry.get("profiles")
    parser = SelectionParser(registry, access)
    teams_only = parser.selection(profiles, None, ["teams"])
    questions_too = parser.selection(profiles, None, ["teams", "questions"])
    queryset = with_populate(with_populate(visible(profiles, access), teams_only, access), questions_too, access)
    profile = queryset.filter(pk=question.author_id).first()
    assert [q.pk for q in related(profile, "questions")] == [question.pk]
    assert related(profile, "teams") == []
