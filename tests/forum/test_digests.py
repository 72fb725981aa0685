"""Daily digests: one e-mail a subscriber a day, none empty, no question twice, only what they follow."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from plugins.forum import moderation
from plugins.forum.digests import send_digests
from plugins.forum.models import Question
from plugins.forum.services import ask, subscribe
from tests import factories

pytestmark = pytest.mark.django_db
# A fixed midday, so that "later the same day" never crosses midnight whenever the test runs.
NOON = timezone.make_aware(datetime(2026, 6, 15, 12, 0))


def asked(author, subject, topics, when):
    question = ask(author, subject=subject, body="…", topics=topics)
    Question.objects.filter(pk=question.pk).update(created_at=when)
    return question


def run(when, capture):
    with capture(execute=True):
        return send_digests(now=when)


@pytest.fixture
def setup():
    flags, surveys, other = (factories.TopicFactory(label=label) for label in ("Flags", "Surveys", "Billing"))
    reader = factories.ProfileFactory(user=factories.UserFactory(email="reader@example.com"))
    subscribe(reader, topic=flags)
    subscribe(reader, topic=surveys)
    return {"flags": flags, "surveys": surveys, "other": other, "reader": reader, "asker": factories.ProfileFactory()}


def test_one_digest_with_the_right_questions(setup, django_capture_on_commit_callbacks):
    now = NOON
    s, hour = setup, timedelta(hours=1)
    both = asked(s["asker"], "In two topics", [s["flags"], s["surveys"]], now - hour)
    asked(s["asker"], "Survey targeting", [s["surveys"]], now - 2 * hour)
    asked(s["asker"], "Invoices", [s["other"]], now - hour)  # not followed
    asked(s["reader"], "My own", [s["flags"]], now - hour)  # the reader's own
    asked(s["asker"], "Too old", [s["flags"]], now - timedelta(days=3))
    gone = asked(s["asker"], "Archived", [s["flags"]], now - hour)
    moderation.archive(gone, by=None)

    assert run(now, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.com"] and message.subject == "2 new questions in your topics"
    assert message.body.count("In two topics") == 1 and "Survey targeting" in message.body
    for absent in ("Invoices", "My own", "Too old", "Archived"):
        assert absent not in message.body
    assert message.body.count("Stop following") == 2
    assert both.slug in message.body


def test_no_second_digest_the_same_day_none_empty_and_no_repeats(setup, django_capture_on_commit_callbacks):
    now = NOON
    s = setup
    asked(s["asker"], "First", [s["flags"]], now - timedelta(hours=1))
    assert run(now, django_capture_on_commit_callbacks) == 1
    asked(s["asker"], "Later the same day", [s["flags"]], now + timedelta(minutes=5))
    assert run(now + timedelta(minutes=10), django_capture_on_commit_callbacks) == 0  # one a day
    tomorrow = now + timedelta(days=1)
    assert run(tomorrow, django_capture_on_commit_callbacks) == 1
    assert "• Later the same day" in mail.outbox[-1].body and "• First" not in mail.outbox[-1].body
    assert run(tomorrow + timedelta(days=1), django_capture_on_commit_callbacks) == 0  # nothing new: no e-mail
    assert len(mail.outbox) == 2


def test_the_command(setup, django_capture_on_commit_callbacks):
    asked(setup["asker"], "Flag question", [setup["flags"]], timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests")
    assert len(mail.outbox) == 1
