"""The community dashboard on the admin's home page: its figures (against the rows, counted independently in
``dashboard_expected``), the links behind them, and who sees it."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plugins.accounts.roles import COMMUNITY_MODERATORS
from plugins.points.models import LedgerEntry
from plugins.points.services import Posting, post
from plugins.rewards.models import ShippingOrder
from plugins.rewards.services import cancel_redemption, fulfil, place_order, redeem
from snippets.dashboard import community_figures
from tests import factories
from tests.snippets.dashboard_expected import expected_figures, shown

pytestmark = pytest.mark.django_db

# A Wednesday noon in mid-month: the weeks and the month are fixed, whatever day the tests run.
NOW = timezone.make_aware(datetime(2025, 6, 18, 12, 0))
ADDRESS = {"name": "Ada Lovelace", "line1": "12 Analytical Row", "city": "London", "country": "GB"}


def at(obj, **ago):
    """Backdate ``obj`` to ``ago`` (timedelta arguments) before ``NOW``."""
    when = NOW - timedelta(**ago)
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)
    obj.created_at = when
    return obj


@pytest.fixture
def community():
    """Questions over three weeks and before, with what must not count (blocked, hidden, held, archived,
    the asker's own replies), points of every kind, and redemptions in every state."""
    flags, billing, quiet = (factories.TopicFactory(label=label) for label in ("Feature flags", "Billing", "Quiet"))
    asker = factories.ProfileFactory(first_name="Asa", last_name="Asker")
    helper = factories.ProfileFactory(first_name="Hel", last_name="Helper")
    other = factories.ProfileFactory(first_name="Otto", last_name="Other")
    blocked = factories.ProfileFactory(first_name="Bo", last_name="Blocked", blocked_at=NOW - timedelta(days=30))
    made = {}

    def question(name, *, author=asker, topics=(), **ago):
        q = factories.QuestionFactory(subject=f"About {name}", author=author)
        q.topics.set(topics)
        made[name] = at(q, **ago)
        return q

    def reply(q, author, *, after_hours, **fields):
        r = factories.ReplyFactory(question=q, author=author, **fields)
        when = q.created_at + timedelta(hours=after_hours)
        type(r).objects.filter(pk=r.pk).update(created_at=when)
        return r

    def solve(q, r):
        q.solution = r
        q.save(update_fields=["solution"])

    # This week (from Monday 16 June).
    q = question("solved", topics=[flags], days=1)
    solve(q, reply(q, helper, after_hours=2))
    q = question("own follow-up", topics=[flags, billing], days=2)
    reply(q, asker, after_hours=1)  # the asker's own reply answers nothing
    # Last week (from Monday 9 June).
    q = question("blocked reply", topics=[billing], days=8)
    reply(q, blocked, after_hours=1, helpful=True)  # a blocked member's reply neither answers nor helps
    q = question("hidden first", topics=[flags], days=9)
    reply(q, other, after_hours=1, hidden=True, helpful=True)  # hidden: not the first reply, not helpful
    reply(q, other, after_hours=5, helpful=True)
    q = question("hidden solution", topics=[quiet], days=3)
    solve(q, reply(q, helper, after_hours=1, hidden=True))
    q = question("helped", topics=[flags], days=4)
    reply(q, helper, after_hours=3, helpful=True)
    # The week before (from Monday 2 June).
    q = question("self-solved", topics=[flags], days=15)
    solve(q, reply(q, asker, after_hours=3))  # answered, with no first reply by anyone else
    # Never asked as far as the figures go.
    question("by a blocked member", author=blocked, topics=[flags], days=1)
    q = question("archived", topics=[quiet], days=1)
    type(q).objects.filter(pk=q.pk).update(archived_at=NOW)
    q = question("held", topics=[quiet], days=1)
    type(q).objects.filter(pk=q.pk).update(held=True)
    # Before the twelve weeks: still waiting, but not asked in them.
    question("old", topics=[billing], days=7 * 13)
    # Helped last month: not this month's help.
    q = question("last month", topics=[quiet], days=40)
    reply(q, helper, after_hours=1, helpful=True)

    # Points (each entry backdated after it is posted: a balance never goes negative on the way).
    moderator = factories.moderator()

    def entry(profile, amount, kind, **ago):
        at(post(profile, Posting(amount, kind, f"{kind} {amount}", f"{kind}:{profile.pk}:{ago}")), **ago)

    entry(asker, 1000, "gift", days=7 * 13)  # before the twelve weeks
    entry(helper, 200, "gift", days=14)
    entry(helper, 7, "adjustment", days=14)  # a correction: in no figure
    entry(asker, 50, "achievement", days=1)
    entry(helper, 5, "reply", days=1)
    entry(asker, 20, "gift", days=2)
    entry(asker, -10, "reversal", days=5)
    stickers = factories.RewardProductFactory(title="Stickers", price=100)
    to_fulfil = redeem(helper, stickers, idempotency_key="a").redemption
    place_order(to_fulfil, ADDRESS)
    cancel_redemption(redeem(helper, stickers, idempotency_key="b").redemption, cancelled_by=moderator, reason="Oops")
    redeem(asker, stickers, idempotency_key="c")  # awaiting the member's address
    shipped = redeem(asker, stickers, idempotency_key="d").redemption
    place_order(shipped, ADDRESS)
    fulfil(shipped, fulfilled_by=moderator)
    LedgerEntry.objects.filter(kind__in=["redemption", "refund"]).update(created_at=NOW - timedelta(days=6))
    ShippingOrder.objects.filter(redemption=to_fulfil).update(created_at=NOW - timedelta(days=6))
    return {"questions": made, "helper": helper, "other": other, "topics": (flags, billing, quiet)}


def test_every_figure_matches_the_rows(community):
    figures = community_figures(now=NOW)
    assert shown(figures) == expected_figures(NOW)


def test_the_figures_are_what_the_rules_say(community):
    """The same figures by hand, so that a mistake shared by the code and ``expected_figures`` shows too."""
    figures = community_figures(now=NOW)
    assert len(figures["weeks"]) == 12 and figures["weeks"][-3:] == ["2025-06-02", "2025-06-09", "2025-06-16"]
    questions = figures["questions"]
    # This week: "solved" (answered 2 h later) and "own follow-up" (waiting); the blocked member's, the
    # archived and the held question are not counted.
    assert (questions["asked"][-1], questions["answered"][-1], questions["medianFirstReplyHours"][-1]) == (2, 1, 2.0)
    # Last week: the hidden reply is not the first (5 h, not 1 h); the blocked member's answers nothing.
    assert (questions["asked"][-2], questions["answered"][-2], questions["medianFirstReplyHours"][-2]) == (4, 2, 4.0)
    # Self-solved: answered, but nobody else replied.
    assert (questions["asked"][-3], questions["answered"][-3], questions["medianFirstReplyHours"][-3]) == (1, 1, None)
    assert sum(questions["asked"]) == 8  # with "last month"

    waiting = figures["waiting"]
    assert waiting["total"] == 4  # own follow-up, blocked reply, hidden solution, old
    assert [(t["label"], t["count"]) for t in waiting["topics"]] == [("Billing", 3), ("Feature flags", 1), ("Quiet", 1)]

    assert figures["points"]["earned"][-3:] == [0, -10, 55]
    assert figures["points"]["gifted"][-3:] == [200, 0, 20]
    assert figures["points"]["redeemed"][-3:] == [0, 300, 0]
    assert sum(figures["points"]["gifted"]) == 220  # the gift before the twelve weeks is not in them

    orders = figures["openOrders"]
    assert (orders["toFulfil"], orders["awaitingOrder"]) == (1, 1)
    assert orders["oldestToFulfil"] == (NOW - timedelta(days=6)).isoformat()

    assert figures["helpful"]["since"] == "2025-06-01"
    assert [(m["name"], m["solutions"], m["helpful"]) for m in figures["helpful"]["members"]] == [
        ("Hel Helper", 1, 1),  # the visible solution of "solved" and the helpful reply to "helped"
        ("Otto Other", 0, 1),  # the hidden reply does not count
    ]


def test_each_topic_links_to_exactly_its_waiting_questions(client, community):
    client.force_login(factories.editor())
    billing = next(t for t in community_figures(now=NOW)["waiting"]["topics"] if t["label"] == "Billing")
    html = client.get(billing["url"]).content.decode()
    listed = {name for name in community["questions"] if f"About {name}<" in html}
    assert listed == {"own follow-up", "blocked reply", "old"}


def test_the_waiting_link_lists_every_waiting_question(client, community):
    client.force_login(factories.editor())
    html = client.get(community_figures(now=NOW)["waiting"]["url"]).content.decode()
    listed = {name for name in community["questions"] if f"About {name}<" in html}
    assert listed == {"own follow-up", "blocked reply", "hidden solution", "old"}


def queries_for_figures() -> int:
    with CaptureQueriesContext(connection) as queries:
        community_figures(now=NOW)
    return len(queries)


def test_a_few_queries_whatever_the_size(community):
    before = queries_for_figures()
    topic = factories.TopicFactory(label="More")
    for i in range(5):
        question = factories.QuestionFactory(author=factories.ProfileFactory())
        question.topics.set([topic, *community["topics"]])
        reply = factories.ReplyFactory(question=question, helpful=True)
        question.solution = reply
        question.save(update_fields=["solution"])
        type(reply).objects.filter(pk=reply.pk).update(created_at=NOW - timedelta(hours=i + 1))
        type(question).objects.filter(pk=question.pk).update(created_at=NOW - timedelta(hours=i + 2))
        post(reply.author, Posting(10, "reply", "Reply", f"more:{i}"))
    assert queries_for_figures() == before <= 8


def test_member_named_by_username_when_the_profile_has_no_name(community):
    helper = community["helper"]
    helper.first_name = helper.last_name = ""
    helper.user = factories.UserFactory(username="helpful-hel")
    helper.save()
    names = [m["name"] for m in community_figures(now=NOW)["helpful"]["members"]]
    assert names[0] == "helpful-hel"


# Who sees it ------------------------------------------------------------------------------------------

HEADING = "How the community is doing"


def community_moderator():
    user = factories.UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COMMUNITY_MODERATORS)[0])
    return user


@pytest.mark.parametrize(
    "make_user",
    [factories.editor, factories.moderator, lambda: factories.UserFactory(is_superuser=True)],
    ids=["editor", "moderator", "superuser"],
)
def test_editors_and_moderators_see_the_dashboard(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert response.status_code == 200 and HEADING in html
    assert 'id="community-dashboard-figures"' in html  # the figures, as JSON
    assert "/static/snippets/vendor/chart.js/chart.umd.min.js" in html  # shipped with the project
    assert "/static/snippets/community-dashboard.js" in html


def test_other_staff_do_not_see_it(client):
    user = community_moderator()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200  # they use the admin: just not this
    assert HEADING not in response.content.decode()
    assert "community-dashboard-figures" not in response.content.decode()


def test_the_dashboard_loads_nothing_from_elsewhere(client):
    client.force_login(factories.editor())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    loaded = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert any(url.endswith("chart.umd.min.js") for url in loaded)
    assert [url for url in loaded if url.startswith(("http:", "https:", "//"))] == []
