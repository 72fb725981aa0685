"""The outbox: an event is written with its change, waits while the queue is away, and reaches each
subscriber once — however often it is handed over, and when a worker died halfway through it."""

import datetime
import json
import socket

import pytest
from django.db import transaction
from django.utils import timezone

from plugins.achievements.models import ActivityCount
from plugins.achievements.triggers import Trigger
from plugins.core import events, outbox
from plugins.core.models import OutboxEntry
from plugins.forum.models import Question
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# As the settings make it of TASKS_BACKEND=django_tasks_rq.RQBackend.
RQ = {
    "default": {
        "BACKEND": "plugins.core.task_backend.OutboxBackend",
        "QUEUES": ["default"],
        "OPTIONS": {"QUEUE": "django_tasks_rq.RQBackend"},
    }
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again once the socket is: nothing listens there


@pytest.fixture
def queue_away(settings):
    """The RQ task backend, its Redis on a port nothing listens on: every enqueue fails, as when Redis is down."""
    settings.TASKS = RQ
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{closed_port()}/0"}}
    yield
    settings.TASKS = IMMEDIATE


@pytest.fixture
def heard():
    """Two subscribers of a test event, recording each call."""
    calls = []

    def first(**payload):
        calls.append(("first", payload["n"]))

    def second(**payload):
        calls.append(("second", payload["n"]))

    events.subscribe("outbox_test")(first)
    events.subscribe("outbox_test")(second)
    yield calls
    events._subscribers.pop("outbox_test", None)


def age(entry_ids, **delta):
    OutboxEntry.objects.filter(pk__in=entry_ids).update(created_at=timezone.now() - datetime.timedelta(**delta))


def test_an_event_is_written_with_its_change_and_rolled_back_with_it(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        events.emit("outbox_test", n=1)
        raise RuntimeError("the change fails")
    assert not OutboxEntry.objects.exists() and heard == []
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("outbox_test", n=2)
    entry = OutboxEntry.objects.get()
    assert heard == [("first", 2), ("second", 2)]
    assert entry.done_at is not None and len(entry.delivered_to) == 2 and entry.handings == 1


def test_a_question_asked_while_the_queue_is_away_is_kept_and_its_event_delivered_once_it_is_back(
    client, queue_away, settings, django_capture_on_commit_callbacks
):
    member = factories.ProfileFactory(user=factories.UserFactory())
    body = {"data": {"subject": "Does the outbox keep it?", "body": "While Redis is down."}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/questions", json.dumps(body), content_type="application/json", **bearer(member.user)
        )
    assert response.status_code == 201, response.content
    assert Question.objects.filter(subject="Does the outbox keep it?").exists()
    waiting = OutboxEntry.objects.get(event="question_asked")
    # The first hand-over met the refused connection; the others, within RETRY_AFTER, did not try again.
    assert waiting.handed_at is None and waiting.done_at is None and waiting.last_error
    assert OutboxEntry.objects.filter(last_error__contains="ConnectionError").count() == 1
    assert OutboxEntry.objects.filter(last_error="The task queue was away.").exists()
    assert not ActivityCount.objects.filter(profile=member, trigger=Trigger.QUESTIONS_ASKED).exists()
    # Wagtail's search and reference indexing of the question wait beside its event.
    assert {"modelsearch.tasks.insert_or_update_object_task", "wagtail.tasks.update_reference_index_task"} <= {
        entry.task_path for entry in OutboxEntry.objects.all()
    }
    age(OutboxEntry.objects.values_list("pk", flat=True), seconds=30)  # the factories' entries too
    pending = OutboxEntry.objects.filter(done_at__isnull=True).count()
    assert outbox.relay() == (0, pending)  # the queue is still away: they keep waiting

    settings.TASKS = IMMEDIATE  # the queue is back ...
    outbox.forget()  # ... and RETRY_AFTER has passed
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == (pending, 0)
    waiting.refresh_from_db()
    assert waiting.done_at is not None
    assert ActivityCount.objects.get(profile=member, trigger=Trigger.QUESTIONS_ASKED).count == 1
    # Handed over again (a second relay, a duplicate in the queue): nothing runs twice.
    events.deliver_event.call("question_asked", waiting.payload, outbox=waiting.pk)
    assert ActivityCount.objects.get(profile=member, trigger=Trigger.QUESTIONS_ASKED).count == 1


def test_the_first_hand_over_that_succeeds_relays_what_waited(
    heard, queue_away, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("outbox_test", n=1)  # handed over as it commits, and refused
    assert heard == [] and OutboxEntry.objects.get().handed_at is None
    age(OutboxEntry.objects.values_list("pk", flat=True), minutes=1)
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("outbox_test", n=3)  # within RETRY_AFTER: not tried
    assert heard == []
    outbox._pending["until"] = 0.0  # RETRY_AFTER has passed
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("outbox_test", n=2)
    assert sorted(heard) == [(name, n) for name in ("first", "second") for n in (1, 2, 3)]
    assert not OutboxEntry.objects.filter(done_at__isnull=True).exists()


def test_an_entry_is_handed_over_once_within_its_lease_and_again_after_it(heard, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, never run
    entry = OutboxEntry.objects.create(event="outbox_test", payload={"n": 1})
    assert outbox.hand_over(entry.pk) is True
    assert outbox.hand_over(entry.pk) is False  # another relay, within the lease
    age([entry.pk], minutes=1)
    assert outbox.relay() == (0, 0)  # handed and not done: not due until its lease ends
    OutboxEntry.objects.filter(pk=entry.pk).update(handed_at=timezone.now() - outbox.LEASE - datetime.timedelta(1))
    assert outbox.relay() == (1, 0)  # its worker died or the queue lost it: handed over again
    assert OutboxEntry.objects.get(pk=entry.pk).handings == 2


def test_a_worker_that_died_mid_event_leaves_only_the_subscribers_that_had_not_run(heard):
    first, _ = events._subscribers["outbox_test"]
    name = f"{first.__module__}.{first.__qualname__}"
    entry = OutboxEntry.objects.create(event="outbox_test", payload={"n": 7}, delivered_to=[name])
    events.deliver_event.call("outbox_test", {"n": 7}, outbox=entry.pk)
    assert heard == [("second", 7)]
    entry.refresh_from_db()
    assert entry.done_at is not None


def test_a_failing_subscriber_is_logged_and_marked_and_the_others_still_run(heard):
    def broken(**payload):
        ActivityCount.objects.create(profile=factories.ProfileFactory(), trigger=Trigger.QUESTIONS_ASKED, count=9)
        raise ValueError("a subscriber's bug")

    events._subscribers["outbox_test"].insert(0, broken)
    entry = OutboxEntry.objects.create(event="outbox_test", payload={"n": 3})
    events.deliver_event.call("outbox_test", {"n": 3}, outbox=entry.pk)
    entry.refresh_from_db()
    assert heard == [("first", 3), ("second", 3)]
    assert "a subscriber's bug" in entry.last_error and len(entry.delivered_to) == 3
    assert not ActivityCount.objects.filter(count=9).exists()  # its half-done writes rolled back with it


def test_the_relay_deletes_entries_done_long_ago(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    old = OutboxEntry.objects.create(event="outbox_test", done_at=timezone.now() - datetime.timedelta(days=8))
    recent = OutboxEntry.objects.create(event="outbox_test", done_at=timezone.now() - datetime.timedelta(days=6))
    outbox.relay()
    assert list(OutboxEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_a_task_written_later_is_enqueued_once_the_change_commits(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    from plugins.notifications.email import send_email

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.later(send_email, "ada@example.com", "Later", "Sent once the change commits.")
        assert mailoutbox == []
    assert [message.subject for message in mailoutbox] == ["Later"]
    assert OutboxEntry.objects.get().done_at is not None


def test_an_entry_that_cannot_be_queued_is_set_aside_and_the_rest_goes_on(heard, django_capture_on_commit_callbacks):
    gone = OutboxEntry.objects.create(task_path="plugins.gone.tasks.renamed", payload={"args": [], "kwargs": {}})
    waiting = OutboxEntry.objects.create(event="outbox_test", payload={"n": 5})
    age([gone.pk, waiting.pk], minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == (1, 0)
    gone.refresh_from_db()
    assert gone.failed_at is not None and gone.last_error.startswith("Cannot be queued: ModuleNotFoundError")
    assert heard == [("first", 5), ("second", 5)]
    assert outbox.relay() == (0, 0)  # set aside: not tried again


def test_a_task_runs_once_however_often_it_is_queued_and_again_if_it_died(settings, mailoutbox):
    from plugins.notifications.email import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    entry = outbox.later(send_email, "ada@example.com", "Once", "However often it is queued.")
    outbox.run_outboxed.call(entry.pk, entry.task_path)
    outbox.run_outboxed.call(entry.pk, entry.task_path)  # a duplicate in the queue
    assert [message.subject for message in mailoutbox] == ["Once"]
    entry.refresh_from_db()
    assert entry.done_at is not None and entry.payload == {}  # an e-mail's body is not kept once sent

    died = outbox.later(send_email, "ada@example.com", "Again", "Its worker died.")
    OutboxEntry.objects.filter(pk=died.pk).update(started_at=timezone.now())  # a worker began it, then died
    outbox.run_outboxed.call(died.pk, died.task_path)
    assert len(mailoutbox) == 1  # within the lease: it may still be running
    OutboxEntry.objects.filter(pk=died.pk).update(started_at=timezone.now() - outbox.LEASE - datetime.timedelta(1))
    outbox.run_outboxed.call(died.pk, died.task_path)
    assert [message.subject for message in mailoutbox] == ["Once", "Again"]


def test_a_subscribers_database_error_leaves_it_to_run_again(heard):
    from django.db import OperationalError

    calls = []

    def deadlocked(**payload):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")

    events._subscribers["outbox_test"].insert(0, deadlocked)
    entry = OutboxEntry.objects.create(event="outbox_test", payload={"n": 4}, handings=1)
    with pytest.raises(OperationalError):
        events.deliver_event.call("outbox_test", {"n": 4}, outbox=entry.pk)
    entry.refresh_from_db()
    assert entry.delivered_to == [] and entry.done_at is None  # the job fails; the lease hands it over again
    events.deliver_event.call("outbox_test", {"n": 4}, outbox=entry.pk)
    assert len(calls) == 2 and heard == [("first", 4), ("second", 4)]


def test_after_too_many_handings_an_entry_is_set_aside(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    entry = OutboxEntry.objects.create(event="outbox_test", payload={"n": 1}, handings=outbox.MAX_HANDINGS)
    assert outbox.hand_over(entry.pk) is False
    entry.refresh_from_db()
    assert entry.failed_at is not None and "never done" in entry.last_error
