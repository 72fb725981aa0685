"""The queries the public website's gatsby-source-squeak plugin sends, unchanged, in the v4 shape.

Each test replays one query as that plugin builds it with ``qs.stringify`` and reads the answer
the way its code does.
"""

from datetime import UTC, datetime

import pytest

from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db

V4 = {"HTTP_STRAPI_RESPONSE_FORMAT": "v4"}
NOW = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
STARTED = {"$and": [{"startDate": {"$notNull": True}}, {"startDate": {"$lte": NOW}}]}


def test_the_profiles_query(client, community):
    factories.ProfileFactory(first_name="Future", start_date=datetime(2999, 1, 1).date(), teams=[community["growth"]])
    page, seen = 1, []
    while True:
        params = {
            "filters": STARTED,
            "pagination": {"page": page, "pageSize": 100},
            "populate": ["avatar", "teams", "leadTeams", "quotes", "color"],
        }
        response = get(client, "profiles", params, **V4)
        assert response.status_code == 200, response.json()
        profiles = response.json()
        for profile in profiles["data"]:
            attributes = dict(profile["attributes"])
            avatar = attributes.pop("avatar")
            seen.append((profile["id"], attributes["firstName"], (avatar["data"] or {}).get("attributes")))
        if profiles["meta"]["pagination"]["page"] >= profiles["meta"]["pagination"]["pageCount"]:
            break
        page += 1
    assert [name for _, name, _ in seen] == ["Ada", "Grace"]
    assert seen[0][2]["url"].endswith(".png") and seen[0][2]["mime"] == "image/png"
    assert seen[1][2] is None


def test_the_teams_query(client, community):
    team = community["growth"]
    team.crest = community["avatar"]
    team.crest_options = {"textColor": "#fff", "imageScale": 80}
    team.save()
    params = {
        "pagination": {"page": 1, "pageSize": 100},
        "populate": {
            "roadmaps": {"fields": ["id"]},
            "profiles": {"filters": STARTED, "populate": "*"},
            "leadProfiles": {"filters": STARTED, "fields": "id"},
            "crest": True,
            "crestOptions": True,
            "miniCrest": True,
            "teamImage": {"populate": {"image": True}},
            "tagline": True,
        },
    }
    response = get(client, "teams", params, **V4)
    assert response.status_code == 200, response.json()
    teams = {t["attributes"]["name"]: t for t in response.json()["data"]}
    growth = teams["Growth"]["attributes"]
    assert [r["id"] for r in growth["roadmaps"]["data"]] == [community["roadmap"].pk]
    assert growth["crest"]["data"]["attributes"]["width"] == 64
    assert growth["crestOptions"]["textColor"] == "#fff" and growth["crestOptions"]["imageScale"] == 80
    assert growth["miniCrest"] == {"data": None}
    assert (growth["teamImage"].get("image") or {}).get("data") is None
    assert growth["tagline"] == "More users"
    [ada] = growth["profiles"]["data"]
    assert ada["attributes"]["firstName"] == "Ada"
    assert ada["attributes"]["avatar"]["data"]["attributes"]["url"].endswith(".png")
    assert [t["attributes"]["name"] for t in ada["attributes"]["leadTeams"]["data"]] == ["Growth"]
    assert growth["leadProfiles"]["data"] == [
        # Strapi 5's v4 shape: documentId beside id, not among the attributes.
        {"id": community["ada"].pk, "documentId": community["ada"].document_id, "attributes": {}}
    ]


def test_the_roadmaps_query(client, community):
    params = {
        "pagination": {"page": 1, "pageSize": 100},
        "populate": {"teams": {"fields": ["id"]}, "image": {"fields": "*"}, "likes": True, "cta": True},
    }
    response = get(client, "roadmaps", params, **V4)
    assert response.status_code == 200, response.json()
    roadmap = response.json()["data"][0]["attributes"]
    assert [t["id"] for t in roadmap["teams"]["data"]] == [community["growth"].pk]
    assert roadmap["githubUrls"] == ["https://github.com/example/repo/issues/1"]
    assert roadmap["image"]["data"] is None
    assert roadmap["cta"]["label"] == "Join the beta"


def test_v5_still_refuses_unknown_populate_names(client, community):
    response = get(client, "profiles", {"populate": ["avatar", "bookmarks"]})
    assert response.status_code == 400 and "Invalid key bookmarks" in response.json()["error"]["message"]
