"""create / update / delete with {data: …}; relations by id, documentId, connect / disconnect / set."""

import json

import pytest

from plugins.achievements.models import Achievement
from plugins.jobs.models import JobListing
from plugins.profiles.models import Profile
from plugins.teams.models import Team
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def send(client, method, path, body, user=None, query=""):
    headers = bearer(user) if user else {}
    url = f"/api/{path}" + (f"?{query}" if query else "")
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def editor(db):
    return factories.editor()


def test_editor_creates_a_published_achievement(client, editor, community):
    response = send(
        client,
        "post",
        "achievements",
        {
            "data": {
                "title": "Bug hunter",
                "points": 50,
                "achievement_group": community["group"].document_id,
                "tier": "silver",
            }
        },
        editor,
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["title"] == "Bug hunter" and data["points"] == 50 and data["publishedAt"]
    achievement = Achievement.objects.get(document_id=data["documentId"])
    assert achievement.live and achievement.group == community["group"] and achievement.slug == "bug-hunter"
    assert achievement.revisions.count() == 1


def test_status_draft_creates_a_draft(client, editor):
    response = send(client, "post", "achievements", {"data": {"title": "Secret", "points": 5}}, editor, "status=draft")
    assert response.status_code == 201
    assert response.json()["data"]["publishedAt"] is None
    assert not Achievement.objects.get(title="Secret").live
    assert client.get("/api/achievements").json()["meta"]["pagination"]["total"] == 0


def test_draft_update_leaves_the_published_version_alone(client, editor, community):
    team = community["growth"]
    response = send(
        client, "put", f"teams/{team.document_id}", {"data": {"tagline": "Draft only"}}, editor, "status=draft"
    )
    assert response.status_code == 200, response.json()
    assert Team.objects.get(pk=team.pk).tagline == "More users"
    assert client.get(f"/api/teams/{team.document_id}").json()["data"]["tagline"] == "More users"
    send(client, "put", f"teams/{team.document_id}", {"data": {"tagline": "Published now"}}, editor)
    assert client.get(f"/api/teams/{team.document_id}").json()["data"]["tagline"] == "Published now"


def test_relations_by_id_document_id_and_connect_disconnect_set(client, editor, community):
    ada, growth, infra = community["ada"], community["growth"], community["infra"]
    path = f"profiles/{ada.document_id}"
    assert send(client, "put", path, {"data": {"teams": [growth.pk, infra.document_id]}}, editor).status_code == 200
    assert set(ada.teams.all()) == {growth, infra}
    send(client, "put", path, {"data": {"teams": {"disconnect": [growth.document_id]}}}, editor)
    assert set(ada.teams.all()) == {infra}
    send(client, "put", path, {"data": {"teams": {"connect": [{"documentId": growth.document_id}]}}}, editor)
    assert set(ada.teams.all()) == {growth, infra}
    send(client, "put", path, {"data": {"teams": {"set": [infra.pk]}}}, editor)
    assert set(ada.teams.all()) == {infra}


def test_job_teams_are_published_with_the_job(client, editor, community):
    response = send(
        client,
        "post",
        "jobs",
        {
            "data": {
                "title": "SRE",
                "description": "<p>Pager</p>",
                "applyUrl": "https://jobs.example.com/sre",
                "teams": [community["infra"].document_id],
            }
        },
        editor,
    )
    assert response.status_code == 201, response.json()
    job = JobListing.objects.get(title="SRE")
    assert list(job.teams.all()) == [community["infra"]]
    assert job.live


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"data": {"title": "X", "points": 0}}, "points"),
        ({"data": {"title": "X", "points": "ten"}}, "points must be an integer"),
        ({"data": {"title": "X", "points": 5, "colour": "red"}}, "Invalid key colour"),
        ({"data": {"title": "X", "points": 5, "achievement_group": "nosuchgroup"}}, "no achievement-groups"),
        ({"data": {"title": "X", "points": 5, "tier": "platinum"}}, "tier must be one of"),
        ({"title": "X"}, 'Missing "data" payload'),
        ({"data": {"points": 5}}, "title"),
    ],
)
def test_bad_bodies_are_400_and_write_nothing(client, editor, body, message):
    response = send(client, "post", "achievements", body, editor)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert message in error["message"] + json.dumps(error["details"])
    assert not Achievement.objects.exists()


def test_malformed_json_is_a_400(client, editor):
    response = client.post("/api/achievements", data="{nope", content_type="application/json", **bearer(editor))
    assert response.status_code == 400
    assert response.json()["error"]["name"] == "ValidationError"


def test_a_relation_error_rolls_back_the_whole_update(client, editor, community):
    ada = community["ada"]
    response = send(
        client,
        "put",
        f"profiles/{ada.document_id}",
        {"data": {"firstName": "Changed", "teams": ["nosuchteam"]}},
        editor,
    )
    assert response.status_code == 400
    ada.refresh_from_db()
    assert ada.first_name == "Ada"


def test_invalid_country_is_a_400_with_the_field(client, editor, community):
    response = send(client, "put", f"profiles/{community['ada'].document_id}", {"data": {"country": "UK"}}, editor)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["errors"][0]["path"] == ["country"]
    assert 'Did you mean "GB"' in response.json()["error"]["message"]


def test_delete_answers_204_and_removes_the_document(client, editor, community):
    response = client.delete(f"/api/achievements/{community['oracle'].document_id}", **bearer(editor))
    assert response.status_code == 204
    assert not Achievement.objects.filter(pk=community["oracle"].pk).exists()


def test_delete_in_v4_returns_the_entry(client, editor, community):
    response = client.delete(
        f"/api/achievements/{community['oracle'].document_id}", **bearer(editor), HTTP_STRAPI_RESPONSE_FORMAT="v4"
    )
    assert response.status_code == 200
    assert response.json()["data"]["attributes"]["title"] == "Oracle"


class TestMembersOwnProfile:
    @pytest.fixture
    def member(self, community):
        user = factories.UserFactory()
        community["linus"].user = user
        community["linus"].save()
        return user

    def test_a_member_updates_their_own_public_fields(self, client, member, community):
        linus = community["linus"]
        response = send(
            client,
            "put",
            f"profiles/{linus.document_id}",
            {"data": {"biography": "Kernel hacker", "github": "torvalds"}},
            member,
        )
        assert response.status_code == 200, response.json()
        linus.refresh_from_db()
        assert linus.biography == "Kernel hacker" and linus.github == "torvalds"

    @pytest.mark.parametrize("field", ["teams", "leadTeams", "startDate", "companyRole", "email"])
    def test_but_not_their_team_role_or_private_fields(self, client, member, community, field):
        value = {
            "teams": [community["growth"].pk],
            "leadTeams": [community["growth"].pk],
            "startDate": "2020-01-01",
            "companyRole": "CEO",
            "email": "x@y.z",
        }[field]
        response = send(client, "put", f"profiles/{community['linus'].document_id}", {"data": {field: value}}, member)
        assert response.status_code == 400
        assert field in response.json()["error"]["message"]
        assert not community["linus"].teams.exists()

    def test_nor_anyone_elses_profile(self, client, member, community):
        response = send(client, "put", f"profiles/{community['ada'].document_id}", {"data": {"biography": "x"}}, member)
        assert response.status_code == 403
        assert Profile.objects.get(pk=community["ada"].pk).biography == ""

    def test_anonymous_updates_are_403_as_in_strapi(self, client, community):
        response = send(client, "put", f"profiles/{community['ada'].document_id}", {"data": {"biography": "x"}})
        assert response.status_code == 403


def test_posting_to_a_document_is_405(client, editor, community):
    response = send(client, "post", f"achievements/{community['oracle'].document_id}", {"data": {}}, editor)
    assert response.status_code == 405
    assert response.json()["error"]["name"] == "MethodNotAllowedError"


def test_an_update_builds_on_the_pending_draft_as_strapi_v5_does(client, editor, community):
    team = community["growth"]
    send(client, "put", f"teams/{team.document_id}", {"data": {"tagline": "Drafted"}}, editor, "status=draft")
    send(client, "put", f"teams/{team.document_id}", {"data": {"emojis": "🚀"}}, editor, "status=draft")
    live = client.get(f"/api/teams/{team.document_id}").json()["data"]
    assert live["tagline"] == "More users" and live["emojis"] == ""
    response = send(client, "put", f"teams/{team.document_id}", {"data": {"name": "Growth team"}}, editor)
    assert response.status_code == 200
    live = client.get(f"/api/teams/{team.document_id}").json()["data"]
    assert (live["name"], live["tagline"], live["emojis"]) == ("Growth team", "Drafted", "🚀")
    team.refresh_from_db()
    assert not team.has_unpublished_changes
