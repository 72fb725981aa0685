"""A read never writes: a member's GETs answer for an account with no profile yet without making one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.profiles.models import Profile
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.parametrize(
    "path",
    [
        "users/me/points",
        "users/me/achievements",
        "users/me/dashboard",
        "redemptions",
        "questions/{question}/subscription",
        "topics/{topic}/subscription",
        "roadmaps/{roadmap}/vote",
        "roadmaps/{roadmap}/subscription",
        "subscriptions/unsubscribe?token={token}",
    ],
)
def test_a_members_reads_write_nothing(client, community, path):
    from plugins.forum.links import unsubscribe_token

    user = factories.UserFactory()  # an account without a profile, as an admin-made one starts
    ids = {
        "question": community["question"].document_id,
        "topic": community["topic"].document_id,
        "roadmap": community["roadmap"].document_id,
        "token": unsubscribe_token(community["linus"].pk, question_id=community["question"].pk),
    }
    headers = bearer(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/{path.format(**ids)}", **headers)
    assert response.status_code == 200, response.content[:300]
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert not Profile.objects.filter(user=user).exists()


def test_the_first_write_makes_the_profile(client, community):
    user = factories.UserFactory()
    response = client.put(f"/api/questions/{community['question'].document_id}/subscription", **bearer(user))
    assert response.status_code == 200
    assert Profile.objects.filter(user=user).exists()
