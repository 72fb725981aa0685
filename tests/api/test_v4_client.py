"""Strapi 4 clients (posthog.com) unchanged: integer ids in the v4 shape, v4's leniency, CORS, /users/me."""

import json

import pytest

from plugins.accounts.models import Account
from tests import factories
from tests.api.helpers import bearer, get

pytestmark = pytest.mark.django_db

V4 = {"HTTP_STRAPI_RESPONSE_FORMAT": "v4"}


def test_an_integer_id_names_a_document_in_the_v4_shape(client, community):
    ada = community["ada"]
    by_id = get(client, f"profiles/{ada.pk}", **V4)
    assert by_id.status_code == 200
    assert by_id.json()["data"] == {**by_id.json()["data"], "id": ada.pk, "documentId": ada.document_id}
    by_document = get(client, f"profiles/{ada.document_id}", **V4).json()["data"]
    assert by_document == by_id.json()["data"]
    # v5 names documents by documentId only, as Strapi 5 does.
    assert get(client, f"profiles/{ada.pk}").status_code == 404
    assert get(client, f"profiles/{ada.document_id}").json()["data"]["firstName"] == "Ada"


def test_an_integer_id_of_a_draft_is_still_not_found(client, community):
    draft = factories.TeamFactory(name="Hidden", slug="hidden", live=False)
    assert get(client, f"teams/{draft.pk}", **V4).status_code == 404


def test_custom_routes_take_the_integer_id_too(client, community):
    member = factories.UserFactory()
    question = factories.QuestionFactory()
    response = client.put(f"/api/questions/{question.pk}/subscription", **bearer(member), **V4)
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["subscribed"] is True
    assert client.put(f"/api/questions/{question.pk}/subscription", **bearer(member)).status_code == 404


def test_nested_relations_and_media_carry_document_id_beside_id(client, community):
    row = get(client, "profiles", {"filters": {"firstName": "Ada"}, "populate": ["teams", "avatar"]}, **V4)
    row = row.json()["data"][0]
    team = row["attributes"]["teams"]["data"][0]
    assert set(team) == {"id", "documentId", "attributes"} and "documentId" not in team["attributes"]
    avatar = row["attributes"]["avatar"]["data"]
    assert avatar["documentId"] == community["avatar"].document_id and "documentId" not in avatar["attributes"]


def test_unknown_keys_in_a_populate_object_are_ignored_in_v4_only(client, community):
    params = {"populate": {"teams": {"select": ["id"]}}}
    lenient = get(client, "profiles", params, **V4)
    assert lenient.status_code == 200
    assert any(p["attributes"]["teams"]["data"] for p in lenient.json()["data"])
    strict = get(client, "profiles", params)
    assert strict.status_code == 400
    assert strict.json()["error"]["message"] == "Invalid key select"


def test_register_fills_the_profile_with_first_and_last_name(client, db):
    response = client.post(
        "/api/auth/local/register",
        data=json.dumps(
            {
                "username": "newcomer",
                "email": "newcomer@example.com",
                "password": "a long enough password 42",
                "firstName": "New",
                "lastName": "Comer",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    user = response.json()["user"]
    me = client.get("/api/users/me?populate=profile", HTTP_AUTHORIZATION=f"Bearer {response.json()['jwt']}").json()
    assert (me["profile"]["firstName"], me["profile"]["lastName"]) == ("New", "Comer")
    assert user["documentId"] == Account.objects.get(user_id=user["id"]).document_id


def test_register_refuses_a_name_that_is_not_text(client, db):
    body = {"username": "x1", "email": "x1@example.com", "password": "a long enough password 42", "firstName": 7}
    response = client.post("/api/auth/local/register", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "firstName" in response.json()["error"]["message"]


def test_users_me_populates_the_profile_and_role(client, community):
    user = factories.UserFactory()
    ada = community["ada"]
    ada.user = user
    ada.save()
    params = {"populate": {"profile": {"populate": {"avatar": True, "teams": {"fields": ["name"]}}}, "role": True}}
    me = get(client, "users/me", params, **bearer(user), **V4).json()
    assert me["id"] == user.pk and me["documentId"] == user.account.document_id
    assert me["publishedAt"] == me["createdAt"]
    # users-permissions returns the user's relations flat, in the v4 shape too.
    assert me["profile"]["id"] == ada.pk and me["profile"]["firstName"] == "Ada"
    assert me["profile"]["avatar"]["url"].endswith(".png")
    assert [t["name"] for t in me["profile"]["teams"]] == ["Growth"]
    # Ada is on a small team, which makes her a moderator (the handbook's rule).
    assert me["role"]["type"] == "moderator" and me["role"]["name"] == "Moderator"
    # Without populate: the profile's ids only.
    plain = get(client, "users/me", **bearer(user)).json()
    assert plain["profile"] == {"id": ada.pk, "documentId": ada.document_id}


def test_users_me_refuses_unknown_relations_in_v5_and_ignores_them_in_v4(client, db):
    user = factories.UserFactory()
    assert get(client, "users/me", {"populate": {"friends": True}}, **bearer(user)).status_code == 400
    assert get(client, "users/me", {"populate": {"friends": True}}, **bearer(user), **V4).status_code == 200


def test_a_user_changes_their_own_account_only(client, db):
    user, other = factories.UserFactory(), factories.UserFactory()
    factories.ProfileFactory(user=user, email=user.email)
    put = lambda path, body, who: client.put(  # noqa: E731
        path, data=json.dumps(body), content_type="application/json", **bearer(who)
    )
    # A token alone does not change where the reset link goes: the password must come with it.
    assert put(f"/api/users/{user.pk}", {"email": "thief@example.com"}, user).status_code == 400
    wrong = put(f"/api/users/{user.pk}", {"email": "thief@example.com", "currentPassword": "guess"}, user)
    assert wrong.status_code == 400 and wrong.json()["error"]["message"].startswith("Send your currentPassword")
    response = put(f"/api/users/{user.pk}", {"email": "New@Example.com", "currentPassword": factories.PASSWORD}, user)
    assert response.status_code == 200, response.json()
    assert response.json()["email"] == "new@example.com"
    user.refresh_from_db()
    assert user.email == "new@example.com" and user.profile.email == "new@example.com"
    assert put(f"/api/users/{other.pk}", {"email": "x@example.com"}, user).status_code == 403
    # posthog.com records the analytics id at every sign-in.
    assert put(f"/api/users/{user.pk}", {"distinctId": "ph-123"}, user).status_code == 200
    assert Account.objects.get(user=user).distinct_id == "ph-123"
    taken = put(
        f"/api/users/{user.pk}", {"username": other.username.upper(), "currentPassword": factories.PASSWORD}, user
    )
    assert taken.status_code == 400 and taken.json()["error"]["message"] == "Username already taken"
    assert put(f"/api/users/{user.pk}", {"password": "x"}, user).status_code == 400
    assert client.put(f"/api/users/{user.pk}", data="{}", content_type="application/json").status_code == 403


@pytest.fixture
def website(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://posthog.com"]
    return "https://posthog.com"


def test_cors_preflight_allows_the_websites_origin(client, website):
    response = client.options(
        "/api/questions",
        HTTP_ORIGIN=website,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == website
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_cors_answers_only_the_configured_origins(client, community, website):
    ours = client.get("/api/teams", HTTP_ORIGIN=website)
    assert ours["Access-Control-Allow-Origin"] == website
    theirs = client.get("/api/teams", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in theirs
    # The admin is not an API: no CORS there.
    assert "Access-Control-Allow-Origin" not in client.get("/admin/login/", HTTP_ORIGIN=website)


def test_members_follow_and_like_through_their_profile_as_posthog_does(client, community):
    from plugins.forum.models import Subscription
    from plugins.roadmap.models import RoadmapSubscription, RoadmapVote

    user = factories.UserFactory()
    profile = factories.ProfileFactory(user=user)
    question = factories.QuestionFactory()
    topic = factories.TopicFactory()
    item = community["roadmap"]

    def put(body, who=user):
        return client.put(
            f"/api/profiles/{profile.pk}",
            data=json.dumps({"data": body}),
            content_type="application/json",
            **bearer(who),
            **V4,
        )

    response = put(
        {
            "questionSubscriptions": {"connect": [question.pk]},
            "topicSubscriptions": {"connect": [topic.pk]},
            "roadmapLikes": {"connect": [item.pk]},
            "roadmapSubscriptions": {"connect": [item.pk]},
        }
    )
    assert response.status_code == 200, response.json()
    assert Subscription.objects.filter(profile=profile, question=question).exists()
    assert Subscription.objects.filter(profile=profile, topic=topic).exists()
    assert RoadmapVote.objects.filter(profile=profile, item=item).exists()
    assert RoadmapSubscription.objects.filter(profile=profile, item=item).exists()
    # The member reads them back (/users/me), as posthog.com's useUser does; the public sees none.
    me = get(client, "users/me", {"populate": {"profile": {"populate": "*"}}}, **bearer(user), **V4).json()
    assert [q["id"] for q in me["profile"]["questionSubscriptions"]] == [question.pk]
    assert [r["id"] for r in me["profile"]["roadmapLikes"]] == [item.pk]
    public = get(client, f"profiles/{profile.pk}", {"populate": ["questionSubscriptions"]}, **V4).json()
    assert public["data"]["attributes"]["questionSubscriptions"] == {"data": []}
    found = get(client, "profiles", {"filters": {"questionSubscriptions": {"id": {"$eq": question.pk}}}}).json()
    assert found["data"] == []
    mine = get(
        client, "profiles", {"filters": {"questionSubscriptions": {"id": {"$eq": question.pk}}}}, **bearer(user)
    ).json()
    assert [p["id"] for p in mine["data"]] == [profile.pk]
    assert put({"questionSubscriptions": {"disconnect": [question.pk]}}).status_code == 200
    assert not Subscription.objects.filter(profile=profile, question=question).exists()
    # Only their own; a hidden question is as missing.
    assert put({"roadmapLikes": {"connect": [item.pk]}}, factories.UserFactory()).status_code == 403
    archived = factories.QuestionFactory(archived_at="2026-01-01T00:00:00Z")
    refused = put({"questionSubscriptions": {"connect": [archived.pk]}})
    assert refused.status_code == 400 and "no questions" in refused.json()["error"]["message"]


def test_media_carry_their_focal_point_and_fields_choose_their_keys(client, community):
    avatar = community["avatar"]
    avatar.focal_point_x, avatar.focal_point_y = avatar.width // 4, avatar.height // 2
    avatar.focal_point_width = avatar.focal_point_height = 4
    avatar.save()
    ada = community["ada"].document_id
    full = get(client, f"profiles/{ada}", {"populate": ["avatar"]}).json()["data"]["avatar"]
    assert full["focalPoint"] == {"x": 0.25, "y": 0.5}
    chosen = get(client, f"profiles/{ada}", {"populate": {"avatar": {"fields": ["url", "width"]}}}).json()
    assert set(chosen["data"]["avatar"]) == {"id", "documentId", "url", "width"}
    assert get(client, f"profiles/{ada}", {"populate": {"avatar": {"fields": ["secret"]}}}).status_code == 400
    # posthog.com's v4 calls say ``select``; Strapi 4 ignored it.
    lenient = get(client, f"profiles/{ada}", {"populate": {"avatar": {"select": ["url"]}}}, **V4).json()
    assert lenient["data"]["attributes"]["avatar"]["data"]["attributes"]["url"].endswith(".png")


def test_an_invalid_key_says_where_it_was_as_strapi_does(client, community):
    error = get(client, "profiles", {"filters": {"nope": {"$eq": 1}}}).json()["error"]
    assert error["details"] == {"key": "nope", "path": "filters[nope]", "source": "query", "param": "filters"}
    error = get(client, "profiles", {"populate": {"teams": {"fields": ["nope"]}}}).json()["error"]
    assert error["details"]["param"] == "populate" and error["details"]["key"] == "nope"
    error = get(client, "profiles", {"sort": "nope:asc"}).json()["error"]
    assert error["details"]["param"] == "sort"


def test_a_profiles_user_shows_moderators_the_email_and_the_public_nothing(client, community):
    user = factories.UserFactory(email="ada-account@private.example")
    ada = community["ada"]
    ada.user = user
    ada.save()
    moderator = factories.moderator()
    params = {"filters": {"firstName": "Ada"}, "populate": {"user": {"fields": ["email", "blocked"]}}}
    seen = get(client, "profiles", params, **bearer(moderator), **V4).json()["data"][0]["attributes"]["user"]
    assert seen["data"]["id"] == user.pk and seen["data"]["documentId"] == user.account.document_id
    assert seen["data"]["attributes"] == {"email": "ada-account@private.example", "blocked": False}
    # posthog.com's moderators search members by their account's e-mail.
    search = {"filters": {"user": {"email": {"$containsi": "ada-account"}}}, "fields": ["firstName"]}
    found = get(client, "profiles", search, **bearer(moderator)).json()["data"]
    assert [p["firstName"] for p in found] == ["Ada"]
    # The public: no user in the answer, and no filtering by it.
    public = get(client, "profiles", params, **V4).json()["data"][0]["attributes"]
    assert "user" not in public
    assert get(client, "profiles", search).status_code == 400
    assert get(client, "users").status_code == 403
    listed = get(client, "users", {"filters": {"blocked": False}}, **bearer(moderator)).json()["data"]
    assert user.pk in [u["id"] for u in listed]
    one = get(client, f"users/{user.account.document_id}", **bearer(moderator)).json()["data"]
    assert one["username"] == user.username and one["email"] == user.email


def test_tokens_that_are_not_trusted_never_read_member_accounts(client, community):
    from api.tokens import create_token

    user = factories.UserFactory(username="ada@private.example")
    ada = community["ada"]
    ada.user = user
    ada.save()
    _, read_only = create_token("site build", kind="read-only")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {read_only}"}
    assert get(client, "users", **headers).status_code == 403
    populated = get(client, "profiles", {"populate": "*"}, **headers).content.decode()
    assert "ada@private.example" not in populated
    assert (
        get(client, "profiles", {"filters": {"user": {"username": {"$startsWith": "ada"}}}}, **headers).status_code
        == 400
    )


def test_sorting_a_through_populate_by_a_computed_attribute_is_a_400(client, community):
    response = get(client, "roadmaps", {"populate": {"likes": {"sort": "points:desc"}}})
    assert response.status_code == 400 and "computed" in response.json()["error"]["message"]


def test_users_with_their_profiles_are_a_fixed_number_of_queries(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    moderator = factories.moderator()

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = get(
                client, "users", {"populate": ["profile"], "pagination": {"pageSize": 100}}, **bearer(moderator)
            )
        assert response.status_code == 200
        return len(queries), len(response.json()["data"])

    for _ in range(2):
        factories.ProfileFactory(user=factories.UserFactory())
    count()  # the permission matrix, cached per process
    few, rows_few = count()
    for _ in range(5):
        factories.ProfileFactory(user=factories.UserFactory())
    many, rows_many = count()
    assert rows_many > rows_few and many == few


def test_a_hidden_question_answers_as_a_missing_one_when_followed(client, community):
    user = factories.UserFactory()
    profile = factories.ProfileFactory(user=user)
    archived = factories.QuestionFactory(archived_at="2026-01-01T00:00:00Z")

    def follow(ref):
        body = {"data": {"questionSubscriptions": {"connect": [ref]}}}
        response = client.put(
            f"/api/profiles/{profile.document_id}",
            data=json.dumps(body),
            content_type="application/json",
            **bearer(user),
        )
        return response.status_code, response.json()["error"]["message"]

    hidden = follow(archived.document_id)
    missing = follow("a" * 24)
    assert hidden[0] == missing[0] == 400
    assert hidden[1].replace(archived.document_id, "X") == missing[1].replace("a" * 24, "X")
