"""posthog.com's calls (``tests.posthog.calls``) replayed against a live server with the demo data, in the
v4 shape by default as a PostHog deployment sets it (``API_DEFAULT_RESPONSE_FORMAT=v4``)."""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import quote

import pytest
import requests

from api.authentication import issue_jwt
from plugins.forum.models import Question, Topic
from plugins.forum.services import reply as post_reply
from plugins.points.services import Posting, post
from plugins.profiles.models import Profile
from plugins.roadmap.models import RoadmapItem
from plugins.teams.models import Team
from tests import factories
from tests.api.helpers import stringify
from tests.posthog.calls import CALLS, Call
from tests.small_demo import seed_small_demo

pytestmark = pytest.mark.django_db(transaction=True)


def seed_demo() -> None:
    """The demo data, small, as in the conformance suite."""
    seed_small_demo()


def demo_names() -> dict:
    """The demo rows the calls name, and the callers' JWTs."""
    question = Question.objects.filter(archived_at__isnull=True, held=False).exclude(author__user=None).first()
    asker = question.author
    member = factories.UserFactory()
    member_profile = factories.ProfileFactory(user=member, first_name="Replay")
    post(member_profile, Posting(1000, "gift", "Replay", f"replay-{member.pk}"))
    helper = Profile.objects.filter(blocked_at=None).exclude(pk__in=[asker.pk, member_profile.pk]).first()
    answer = post_reply(helper, question, body="An answer")
    spare = post_reply(helper, question, body="A reply a moderator deletes")
    other_topic = Topic.objects.exclude(questions=question).first()
    moderator = factories.moderator()
    factories.ProfileFactory(user=moderator)
    team = Team.objects.filter(live=True, lead_profiles__isnull=False, updates__isnull=False).distinct().first()
    lead = team.lead_profiles.first()
    if lead.user is None:
        lead.user = factories.UserFactory()
        lead.save()
    newcomer = factories.ProfileFactory(user=factories.UserFactory(), first_name="Newcomer")
    reward = factories.RewardProductFactory(
        title="Replay credit", price=10, kind="merch_credit", discount_amount=Decimal("5.00")
    )
    blocked = factories.ProfileFactory(user=factories.UserFactory(), first_name="Blockee")
    return {
        "tokens": {
            "member": issue_jwt(member),
            "moderator": issue_jwt(moderator),
            "asker": issue_jwt(asker.user),
            "lead": issue_jwt(lead.user),
        },
        "values": {
            "question": question.pk,
            "permalink": question.slug,
            "reply": answer.pk,
            "spare_reply": spare.pk,
            "other_topic": other_topic.pk,
            "topic": (Topic.objects.filter(questions=question).first() or Topic.objects.first()).pk,
            "asker_profile": asker.pk,
            "member_id": member.pk,
            "member_profile": member_profile.pk,
            "member_email": member.email,
            "password": factories.PASSWORD,
            "new_email": "replay-new@example.com",
            "roadmap": RoadmapItem.objects.filter(live=True).first().pk,
            "team": team.pk,
            "newcomer_profile": newcomer.pk,
            "team_slug": team.slug,
            "team_name": team.name,
            "reward": reward.handle,
            "blocked_profile": blocked.pk,
        },
    }


def _fill(value, values: dict):
    """``"{question}"`` → the demo's id (an int where the whole string names one), recursively."""
    if isinstance(value, str):
        for name, real in values.items():
            if value == "{" + name + "}":
                return real
            value = value.replace("{" + name + "}", str(real))
        return value
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_fill(v, values) for v in value]
    return value


def _read(body, path: str) -> list:
    """Every value at ``path`` (``*`` is every item); a missing key raises KeyError, naming the path."""
    found = [body]
    for part in path.split("."):
        nxt = []
        for value in found:
            if part == "*":
                assert isinstance(value, list) and value, f"{path}: expected a non-empty list, got {value!r:.200}"
                nxt.extend(value)
            elif isinstance(value, list):
                nxt.append(value[int(part)])
            else:
                if not isinstance(value, dict) or part not in value:
                    raise KeyError(f"{path}: no {part!r} in {json.dumps(value)[:300]}")
                nxt.append(value[part])
        found = nxt
    return found


def replay(server: str, call: Call, names: dict) -> requests.Response:
    values = names["values"]
    url = f"{server}/api/{_fill(call.path, values)}"
    if call.qs:
        query = stringify(_fill(call.qs, values))
        if call.encode_keys:
            query = "&".join(f"{quote(k, safe='')}={v}" for k, _, v in (p.partition("=") for p in query.split("&")))
        url += "?" + query
    headers = {"Origin": "https://posthog.com"}
    if call.who != "anonymous":
        headers["Authorization"] = f"Bearer {names['tokens'][call.who]}"
    body = _fill(call.body, values) if call.body is not None else None
    return requests.request(call.method, url, json=body, headers=headers, timeout=30)


def check(response: requests.Response, call: Call) -> None:
    assert response.status_code == call.status, f"{call.source}: {response.status_code} {response.text[:500]}"
    body = response.json()
    if call.status == 404:
        assert "not part of the community CMS" in body["error"]["message"]
    for path in call.reads:
        _read(body, path)


def test_posthog_calls_replay(live_server, migrated_data, settings):
    """Every served call answers as posthog.com's code expects; every pending one still fails (so that
    this list says exactly what is left), and every answer carries the CORS header for the website."""
    settings.API_DEFAULT_RESPONSE_FORMAT = "v4"
    settings.CORS_ALLOWED_ORIGINS = ["https://posthog.com"]
    seed_demo()
    names = demo_names()
    failures, served_late = [], []
    for call in CALLS:
        response = replay(live_server.url, call, names)
        try:
            check(response, call)
            assert response.headers.get("Access-Control-Allow-Origin") == "https://posthog.com", call.source
        except (AssertionError, KeyError, ValueError) as error:
            if not call.pending:
                failures.append(f"{call.source}: {error}")
            continue
        if call.pending:
            served_late.append(call.source)
    assert not failures, "\n".join(failures)
    assert not served_late, f"now served, move out of pending: {served_late}"
