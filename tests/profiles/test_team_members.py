from datetime import timedelta

import pytest
from django.utils import timezone

from plugins.profiles.models import Profile
from tests.factories import ProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_team_members_are_on_a_team_with_a_start_date_that_has_come():
    today = timezone.localdate()
    team = TeamFactory()
    started = ProfileFactory(start_date=today - timedelta(days=30), teams=[team])
    starts_today = ProfileFactory(start_date=today, teams=[team])
    ProfileFactory(start_date=today + timedelta(days=1), teams=[team])  # not yet
    ProfileFactory(start_date=today - timedelta(days=30))  # no team
    ProfileFactory(teams=[team])  # no start date
    second_team = TeamFactory()
    started.teams.add(second_team)  # on two teams: still listed once

    members = list(Profile.objects.team_members())
    assert sorted(p.pk for p in members) == sorted([started.pk, starts_today.pk])
    assert started.is_team_member and starts_today.is_team_member
