"""Every history entry with particulars says them: which achievement, how many points, why, whose reply.

Each scenario does the real thing through its service and reads the message Wagtail's history shows;
an action registered with particulars but no scenario here fails the first test.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from plugins.accounts.onboarding import NewTeamMember, add_team_member
from plugins.accounts.policy import Actor
from plugins.achievements.rules import award_due
from plugins.achievements.services import award_achievement, revoke_award
from plugins.achievements.triggers import Trigger
from plugins.forum import moderation
from plugins.forum.models import InternalTag
from plugins.forum.services import ask, reply
from plugins.points.services import Posting, gift, post
from plugins.profiles.services import set_team_membership
from plugins.rewards.services import cancel_redemption, enable_account_credit, fulfil, place_order, redeem, restock
from snippets.log_actions import ACTIONS
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = {"name": "Kim", "line1": "1 Shipping Lane", "city": "Leeds", "country": "GB"}
# Trigger codes a reader must never see ("questions_asked"); one-word codes are ordinary words.
TRIGGER_CODES = [code for code in Trigger.values if "_" in code]


@pytest.fixture
def world():
    moderator = factories.moderator()
    member = factories.ProfileFactory(
        user=factories.UserFactory(username="kim-from-the-api"), first_name="", last_name="", email=""
    )
    asker = factories.ProfileFactory(first_name="Ada", last_name="Lovelace")
    flags, surveys = factories.TopicFactory(label="Flags"), factories.TopicFactory(label="Surveys")
    question = ask(asker, subject="Why is my flag off?", body="It is off.", topics=[flags])
    answer = reply(member, question, body="Check the rollout.")
    post(member, Posting(1000, "gift", "Gift: welcome", "welcome"))
    return {
        "moderator": moderator,
        "member": member,
        "question": question,
        "reply": answer,
        "topics": (flags, surveys),
        "bug_hunter": factories.AchievementFactory(title="Bug hunter", points=40),
        "stickers": factories.RewardProductFactory(title="Stickers", price=100, stock=10),
    }


def put_on_website(w, **membership):
    team = factories.TeamFactory(name="Website")
    set_team_membership(Actor.of(factories.editor()), team, w["member"], member=True, lead=True)
    if membership:
        set_team_membership(Actor.of(factories.editor()), team, w["member"], **membership)


def ordered(w):
    redemption = redeem(w["member"], w["stickers"], idempotency_key="k").redemption
    place_order(redemption, ADDRESS)
    return redemption


def assigned(w):
    return award_achievement(w["member"], w["bug_hunter"], awarded_by=w["moderator"], reason="Found the CSV bug")


def add_team_member_to_website(w):
    team = factories.TeamFactory(name="Website")
    new = NewTeamMember("Grace", "Hopper", "grace@example.com", "Engineer", date(2026, 1, 5), "NYC", "US", team)
    add_team_member(new)


def enable_credit(w):
    credit = factories.RewardProductFactory(
        title="$30 account credit", price=0, kind="account_credit", discount_amount=Decimal("30.00")
    )
    enable_account_credit(w["member"], credit, enabled_by=w["moderator"], note="Docs sprint")


def tag_follow_up(w):
    InternalTag.objects.create(name="Internal: follow-up")
    moderation.tag(w["question"], "Internal: follow-up", by=w["moderator"])


# action: (what a moderator or member does, through the service; what the history then says)
SCENARIOS = {
    "community.team_member.add": (add_team_member_to_website, "Added as a team member of Website"),
    "community.team.member_set": (put_on_website, "Put kim-from-the-api on the team, as a lead"),
    "community.team.member_remove": (
        lambda w: put_on_website(w, member=False),
        "Took kim-from-the-api off the team",
    ),
    "community.achievement.assign": (assigned, "Awarded “Bug hunter” (40 points): Found the CSV bug"),
    "community.achievement.revoke": (
        lambda w: revoke_award(assigned(w), revoked_by=w["moderator"], reason="Counted twice"),
        "Revoked “Bug hunter”, taking back 40 points: Counted twice",
    ),
    "community.points.gift": (
        lambda w: gift(w["member"], 50, "for organising the meetup", given_by=w["moderator"]),
        "Gifted 50 points: for organising the meetup",
    ),
    "community.reward.redeem": (ordered, "Redeemed “Stickers” for 100 points"),
    "community.reward.cancel": (
        lambda w: cancel_redemption(ordered(w), cancelled_by=w["moderator"], reason="Out of stock in the EU"),
        "Cancelled the redemption of “Stickers”, refunding 100 points: Out of stock in the EU",
    ),
    "community.reward.fulfil": (
        lambda w: fulfil(ordered(w), fulfilled_by=w["moderator"]),
        "Sent the order of “Stickers”",
    ),
    "community.reward.credit_enable": (enable_credit, "Enabled account credit for “$30 account credit”"),
    "community.reward.restock": (
        lambda w: restock(w["stickers"], stock=None, changed_by=w["moderator"]),
        "Stock changed from 10 to unlimited",
    ),
    "forum.pin": (lambda w: moderation.set_pinned(w["question"], True, by=w["moderator"]), "Pinned in Flags"),
    "forum.move": (
        lambda w: moderation.move(w["question"], list(w["topics"]), by=w["moderator"]),
        "Moved to Flags and Surveys",
    ),
    "forum.hide_reply": (
        lambda w: moderation.set_hidden(w["reply"], True, by=w["moderator"]),
        "Hid a reply by kim-from-the-api",
    ),
    "forum.unhide_reply": (
        lambda w: moderation.set_hidden(w["reply"], False, by=w["moderator"]),
        "Showed kim-from-the-api's reply again",
    ),
    "forum.helpful": (
        lambda w: moderation.mark_helpful(w["reply"], False, by=w["moderator"], by_asker=False),
        "Marked kim-from-the-api's reply not helpful",
    ),
    "forum.delete_reply": (
        lambda w: moderation.delete_reply(w["reply"], by=w["moderator"]),
        "Deleted a reply by kim-from-the-api",
    ),
    "forum.moderator_edit": (
        lambda w: moderation.record_edit(w["reply"], by=w["moderator"], before={"body": "Check the rollout."}),
        "Edited the body of kim-from-the-api's post",
    ),
}


def test_every_action_with_particulars_has_a_scenario():
    assert set(SCENARIOS) == {action for action, (_, _, describe) in ACTIONS.items() if describe}


@pytest.mark.parametrize("action", sorted(SCENARIOS))
def test_the_history_says_what_happened(world, action):
    do, expected = SCENARIOS[action]
    do(world)
    entry = ModelLogEntry.objects.filter(action=action).latest("pk")
    assert entry.message == expected
    for unwanted in (world["question"].document_id, world["member"].document_id, *TRIGGER_CODES):
        assert unwanted not in entry.message


def test_an_automatic_award_says_what_earned_it(world):
    factories.AchievementFactory(title="Three answers", trigger=Trigger.ANSWERS_POSTED, threshold=3, points=20)
    award_due(world["member"], Trigger.ANSWERS_POSTED, 3)
    message = ModelLogEntry.objects.filter(action="community.achievement.assign").latest("pk").message
    assert message == "Awarded “Three answers” (20 points): Answers posted: 3"


def test_older_entries_read_as_well_as_their_data_allows(world):
    assert log(world["member"], "community.points.gift", data={}).message == "Points gifted"
    old = {"achievement": "X", "points": 5, "reason": "2 × solutions"}  # how automatic awards' reasons read once
    message = log(world["member"], "community.achievement.assign", data=old).message
    assert message == "Awarded “X” (5 points): Answers marked as the solution: 2"


def test_the_profile_and_question_histories_show_the_messages(client, world):
    for action in ("community.points.gift", "forum.hide_reply"):
        SCENARIOS[action][0](world)
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    profile_history = reverse("wagtailsnippets_profiles_profile:history", args=[world["member"].pk])
    assert "Gifted 50 points: for organising the meetup" in client.get(profile_history).content.decode()
    question_history = reverse("wagtailsnippets_forum_question:history", args=[world["question"].pk])
    assert "Hid a reply by kim-from-the-api" in client.get(question_history).content.decode()


def test_forum_history_names_no_internal_tag_support_note_or_e_mail(world):
    """Wagtail's site history report shows the forum's entries to community moderators too, who may read
    none of these: the messages name members as members see them, and keep tags and support's notes out."""
    kim = world["reply"].author.user
    kim.username = "kim@private.example"  # on posthog.com a username is the e-mail address
    kim.save()
    tag_follow_up(world)
    moderation.untag(world["question"], "Internal: follow-up", by=world["moderator"])
    moderation.escalate(world["question"], by=world["moderator"], reason="Needs a look at their billing")
    moderation.set_hidden(world["reply"], True, by=world["moderator"])
    messages = [entry.message for entry in ModelLogEntry.objects.filter(action__startswith="forum.")]
    assert "Hid a reply by A community member" in messages
    assert {"Internal tag added", "Internal tag removed", "Escalated to support"} <= set(messages)
    for private in ("follow-up", "billing", "kim@private.example"):
        assert not [message for message in messages if private in message]
