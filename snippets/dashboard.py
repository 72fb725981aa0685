"""The community dashboard on the admin's home page, for editors and moderators: how the community is doing.

The figures are the plugins' (``plugins.forum.stats``, ``plugins.points.stats``, ``plugins.rewards.stats``);
here they are put in the shape the page's charts read (``community_figures``, handed to the page as JSON
and drawn by ``snippets/community-dashboard.js`` with the vendored Chart.js), each linked to the admin list
behind it.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component

from plugins.accounts.policy import Actor
from plugins.core.weeks import start_of_month
from plugins.forum.stats import most_helpful, waiting_by_topic, waiting_total, weekly_questions
from plugins.points.stats import FIGURES, weekly_points
from plugins.rewards.models import RedemptionStatus
from plugins.rewards.stats import open_orders

WEEKS = 12
HELPERS = 5
CHART_JS = "snippets/vendor/chart.js/chart.umd.min.js"


def questions_list_url(**filters) -> str:
    """The admin's question list with the given filters (``snippets.forum.QuestionFilterSet``)."""
    url = reverse("wagtailsnippets_forum_question:list")
    return f"{url}?{urlencode(filters)}" if filters else url


def redemptions_list_url(status: str) -> str:
    return reverse("wagtailsnippets_rewards_redemption:list") + "?" + urlencode({"status": status})


def community_figures(now: datetime | None = None) -> dict:
    """Everything the dashboard shows, JSON-ready: the last ``WEEKS`` weeks of questions (asked, answered,
    median hours to a first reply) and of points (``plugins.points.stats.FIGURES``), the questions waiting
    for an answer by topic, the open orders and this month's ``HELPERS`` most helpful members. ``now`` ends
    the periods (the current time unless given)."""
    questions = weekly_questions(WEEKS, now)
    points = weekly_points(WEEKS, now)
    orders = open_orders()
    return {
        "weeks": [week.week.isoformat() for week in questions],
        "questions": {
            "asked": [week.asked for week in questions],
            "answered": [week.answered for week in questions],
            "medianFirstReplyHours": [week.median_first_reply_hours for week in questions],
        },
        "waiting": {
            "total": waiting_total(),
            "url": questions_list_url(waiting="true"),
            "topics": [
                {
                    "label": topic.label,
                    "count": topic.waiting,
                    "url": questions_list_url(topics=topic.pk, waiting="true"),
                }
                for topic in waiting_by_topic()
            ],
        },
        "points": {name: [getattr(week, name) for week in points] for name in FIGURES},
        "openOrders": {
            "toFulfil": orders.to_fulfil,
            "awaitingOrder": orders.awaiting_order,
            "oldestToFulfil": orders.oldest_to_fulfil.isoformat() if orders.oldest_to_fulfil else None,
            "url": redemptions_list_url(RedemptionStatus.ORDERED),
            "awaitingUrl": redemptions_list_url(RedemptionStatus.AWAITING_ORDER),
        },
        "helpful": {
            "since": start_of_month(now).date().isoformat(),
            "members": [
                {
                    "name": helper.profile.name_for_staff,  # only editors and moderators see it
                    "solutions": helper.solutions,
                    "helpful": helper.helpful,
                    "url": reverse("wagtailsnippets_profiles_profile:edit", args=[helper.profile.pk]),
                }
                for helper in most_helpful(HELPERS, now)
            ],
        },
    }


class CommunityDashboardPanel(Component):
    """The dashboard's panel: a few totals, the charts (drawn in the browser from ``figures``) and links."""

    name = "community_dashboard"
    template_name = "community_admin/home/community_dashboard.html"
    order = 50  # before Wagtail's own panels: this is what editors and moderators come to the home page for

    class Media:
        js = [CHART_JS, "snippets/community-dashboard.js"]
        css = {"all": ["snippets/community-dashboard.css"]}

    def get_context_data(self, parent_context):
        figures = community_figures()
        asked, answered = sum(figures["questions"]["asked"]), sum(figures["questions"]["answered"])
        return {
            "figures": figures,
            "weeks": WEEKS,
            "asked": asked,
            "answered": answered,
            "answered_percent": round(100 * answered / asked) if asked else None,
            "points": {name: sum(values) for name, values in figures["points"].items()},
            "month": start_of_month(),
        }


def add_community_dashboard(request, panels) -> None:
    """The ``construct_homepage_panels`` hook: the dashboard for editors and moderators only."""
    if Actor.of(request.user).moderates:
        panels.append(CommunityDashboardPanel())
