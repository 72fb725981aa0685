"""E-mails and channel messages name people: by name, else by a username that is not an e-mail address;
never by document id, and a member's private e-mail never reaches another member."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from plugins.forum import moderation
from plugins.forum.digests import send_digests
from plugins.forum.services import ask, reply, subscribe
from plugins.points.services import Posting, post
from plugins.profiles.models import UNNAMED
from plugins.rewards.services import redeem
from tests import factories
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db


def member(username):
    """A member who registered through the API with a username and no name."""
    user = factories.UserFactory(username=username, email=f"{username.split('@')[0]}@private.example")
    return factories.ProfileFactory(user=user, first_name="", last_name="", email="")


# (the member's username, how others are told who they are)
NAMED_AS = [("kim-from-the-api", "kim-from-the-api"), ("kim@private.example", UNNAMED)]


@pytest.fixture
def asker():
    return factories.ProfileFactory(user=factories.UserFactory(email="asker@example.com"), first_name="Ada")


@pytest.mark.parametrize(("username", "named"), NAMED_AS)
def test_a_reply_email_names_who_replied(asker, username, named, django_capture_on_commit_callbacks):
    question = ask(asker, subject="Why is my flag off?", body="It is off.")
    someone = member(username)
    with django_capture_on_commit_callbacks(execute=True):
        reply(someone, question, body="Check the rollout.")
    body = mail.outbox[-1].body
    assert body.startswith(f"{named} replied to “Why is my flag off?”")
    assert someone.document_id not in body and "@private.example" not in body


@pytest.mark.parametrize(("username", "named"), NAMED_AS)
def test_a_digest_names_who_asked(username, named, django_capture_on_commit_callbacks):
    topic = factories.TopicFactory(label="Flags")
    subscribe(factories.ProfileFactory(user=factories.UserFactory(email="reader@example.com")), topic=topic)
    someone = member(username)
    ask(someone, subject="Flags on mobile?", body="…", topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(now=timezone.now() + timedelta(minutes=1))
    body = mail.outbox[-1].body
    assert f"• Flags on mobile? [Flags], asked by {named}" in body
    assert someone.document_id not in body and "@private.example" not in body


def test_channel_messages_name_the_asker_and_the_redeemer(settings, django_capture_on_commit_callbacks):
    someone = member("kim-from-the-api")
    post(someone, Posting(300, "gift", "Gift: welcome", "welcome"))
    with Receiver() as receiver:
        topic = factories.TopicFactory(label="Flags", channel_webhook_url=receiver.url)
        settings.REWARDS_MONITORING_WEBHOOK_URL = receiver.url
        with django_capture_on_commit_callbacks(execute=True):
            ask(someone, subject="Flags on mobile?", body="…", topics=[topic])
        with django_capture_on_commit_callbacks(execute=True):
            redeem(someone, factories.RewardProductFactory(title="Stickers", price=100), idempotency_key="k")
    texts = sorted(message["body"]["text"] for message in receiver.received)
    assert texts[0].startswith(":gift: kim-from-the-api redeemed *Stickers*")
    assert texts[1].startswith(":question: New question from kim-from-the-api:")


def test_support_hears_who_asked_with_the_email_it_writes_to(settings, django_capture_on_commit_callbacks):
    someone = member("kim@private.example")
    question = ask(someone, subject="Billing is wrong", body="…")
    with Receiver() as receiver:
        settings.FORUM_SUPPORT_WEBHOOK_URL = receiver.url
        with django_capture_on_commit_callbacks(execute=True):
            moderation.escalate(question, by=factories.moderator(), reason="Billing")
    fields = receiver.received[0]["body"]["blocks"][1]["fields"]
    # The support tool is private: the asker by username (here their e-mail address), never an id.
    assert {"type": "mrkdwn", "text": "*Asker*\nkim@private.example"} in fields
    assert someone.document_id not in str(receiver.received[0]["body"])
