import pytest

from plugins.teams import pineapple
from plugins.teams.models import Team
from tests.factories import ProfileFactory, TeamFactory

pytestmark = pytest.mark.django_db


def team_with(*answers):
    team = TeamFactory()
    for answer in answers:
        ProfileFactory(pineapple_on_pizza=answer, teams=[team])
    return team


@pytest.mark.parametrize(
    ("answers", "verdict", "share"),
    [
        ((True, True, False), pineapple.IN_FAVOUR, 0.6667),
        ((False, False, True, None), pineapple.AGAINST, 0.3333),
        ((True, False, None, None), pineapple.SPLIT, 0.5),
        ((None, None), pineapple.UNDECIDED, None),
        ((), pineapple.UNDECIDED, None),
    ],
)
def test_verdict_is_derived_from_members_answers(answers, verdict, share):
    team = team_with(*answers)
    result = team.pineapple()
    assert result.verdict == verdict
    assert result.share_in_favour == share
    # The annotated list query gives the same verdict without a query per team.
    annotated = Team.objects.with_pineapple_counts().get(pk=team.pk)
    assert annotated.pineapple() == result


def test_verdict_follows_a_member_changing_their_mind():
    team = team_with(True)
    assert team.pineapple().verdict == pineapple.IN_FAVOUR
    member = team.profiles.get()
    member.pineapple_on_pizza = False
    member.save()
    assert team.pineapple().verdict == pineapple.AGAINST


def test_the_verdict_is_not_a_stored_field():
    field_names = {f.name for f in Team._meta.get_fields()}
    assert not any("pineapple" in name for name in field_names)


def test_batch_loading_counts_right_and_forgets_when_answers_change():
    from plugins.teams.models import load_pineapple_counts

    team = team_with(True, False, True)
    other = team_with(False)
    batch = list(Team.objects.filter(pk__in=[team.pk, other.pk]).order_by("pk"))
    load_pineapple_counts(batch)
    assert [t.pineapple().verdict for t in batch] == [pineapple.IN_FAVOUR, pineapple.AGAINST]
    member = other.profiles.get()
    member.pineapple_on_pizza = True
    member.save()  # the kept counts are forgotten
    fresh = list(Team.objects.filter(pk=other.pk))
    load_pineapple_counts(fresh)
    assert fresh[0].pineapple().verdict == pineapple.IN_FAVOUR
    ProfileFactory(pineapple_on_pizza=False, teams=[other])
    again = list(Team.objects.filter(pk=other.pk))
    load_pineapple_counts(again)
    assert again[0].pineapple().verdict == pineapple.SPLIT
