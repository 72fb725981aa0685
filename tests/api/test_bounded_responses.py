"""No request populates without bound: a maximum depth and a maximum number of related rows, both settings,
each a 400 in Strapi's envelope that says which limit and how to narrow the query."""

import pytest

from tests import factories
from tests.api.helpers import get

pytestmark = pytest.mark.django_db


def nested(levels: int) -> dict:
    """``teams`` → ``profiles`` → ``teams`` … ``levels`` deep."""
    names = ["teams" if level % 2 == 0 else "profiles" for level in range(levels)]
    populate: dict | bool = True
    for name in reversed(names):
        populate = {name: populate if populate is True else {"populate": populate}}
    return {"populate": populate}


def test_the_depth_limit_is_a_setting_and_says_so(client, community, settings):
    assert get(client, "profiles", nested(settings.API_POPULATE_MAX_DEPTH)).status_code == 200
    too_deep = get(client, "profiles", nested(settings.API_POPULATE_MAX_DEPTH + 1))
    assert too_deep.status_code == 400
    error = too_deep.json()["error"]
    assert "API_POPULATE_MAX_DEPTH" in error["message"] and "fewer levels" in error["message"]
    assert error["details"]["limit"] == settings.API_POPULATE_MAX_DEPTH
    settings.API_POPULATE_MAX_DEPTH = 2
    assert get(client, "profiles", nested(3)).status_code == 400
    assert get(client, "profiles", nested(2)).status_code == 200


def test_the_related_rows_limit_is_a_setting_and_says_so(client, community, settings):
    team = community["growth"]
    for _ in range(6):
        factories.ProfileFactory(teams=[team])
    query = {"populate": {"profiles": {"populate": ["teams"]}}, "filters": {"slug": "growth"}}
    fine = get(client, "teams", query)
    assert fine.status_code == 200
    rows = len(fine.json()["data"][0]["profiles"])
    rows += sum(len(p["teams"]) for p in fine.json()["data"][0]["profiles"])
    settings.API_POPULATE_MAX_ROWS = rows
    assert get(client, "teams", query).status_code == 200
    settings.API_POPULATE_MAX_ROWS = rows - 1
    refused = get(client, "teams", query)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert "API_POPULATE_MAX_ROWS" in error["message"] and "pageSize" in error["message"]
    assert error["details"] == {
        "key": "populate",
        "source": "query",
        "param": "populate",
        "limit": rows - 1,
        "rows": rows,
    }
    # One document too.
    assert get(client, f"teams/{team.document_id}", {"populate": query["populate"]}).status_code == 400
