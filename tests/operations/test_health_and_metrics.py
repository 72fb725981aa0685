"""/health/ checks the database, the cache, the storage and the task queue; /metrics counts requests,
tasks and redemptions for Prometheus."""

import datetime
import threading

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY

from plugins.points.services import Posting, post
from plugins.rewards.services import redeem
from tests import factories

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def checks(client) -> tuple[int, dict]:
    """/health/ is an async view: asked from a thread of its own, as a server's worker would, since the
    browser tests' Playwright keeps an event loop running in the suite's main thread."""
    answers = []
    asking = threading.Thread(target=lambda: answers.append(client.get("/health/?format=json")))
    asking.start()
    asking.join(timeout=60)
    response = answers[0]
    return response.status_code, response.json()


def test_health_checks_every_part(client, settings):
    settings.TASKS = DB_TASKS
    status, body = checks(client)
    assert status == 200, body
    assert {"Database", "SharedCache", "Storage", "TaskQueue"} <= {name.split("(")[0] for name in body}
    assert set(body.values()) == {"OK"}


@pytest.mark.django_db(transaction=True)  # the checks run in a thread of their own: it sees committed rows
def test_a_queue_nobody_works_is_reported(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    from plugins.notifications.email import send_email

    result = send_email.enqueue("a@example.com", "Subject", "Text")
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - datetime.timedelta(hours=1))
    status, body = checks(client)
    task_queue = next(value for name, value in body.items() if name.startswith("TaskQueue"))
    assert "is a worker running" in task_queue
    assert status == 503


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_requests_tasks_and_redemptions(client, django_capture_on_commit_callbacks):
    before = sample("cms_store_events_total", event="redeemed")
    member = factories.ProfileFactory(user=factories.UserFactory())
    post(member, Posting(100, "gift", "for the test", "metrics-test"))
    with django_capture_on_commit_callbacks(execute=True):  # events are delivered when the transaction commits
        redeem(member, factories.RewardProductFactory(price=10), idempotency_key="metrics")
    assert sample("cms_store_events_total", event="redeemed") == before + 1
    client.get("/api/teams")
    page = client.get("/metrics").content.decode()
    assert "django_http_requests_total_by_method_total" in page
    assert 'cms_store_events_total{event="redeemed"}' in page
    assert "cms_tasks_finished_total" in page


def test_only_the_operations_network_reaches_health_and_metrics(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    answers = []
    asking = threading.Thread(target=lambda: answers.append(client.get("/health/", REMOTE_ADDR="203.0.113.9")))
    asking.start()
    asking.join(timeout=60)
    assert answers[0].status_code == 404


OUTSIDE = "203.0.113.9"  # a public address, outside every operations network


def test_the_operations_token_lets_the_monitoring_in_from_anywhere(client, settings):
    settings.OPERATIONS_TOKEN = "a-long-random-operations-token"
    settings.TASKS = DB_TASKS
    answer = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer a-long-random-operations-token")
    assert answer.status_code == 200
    assert b"django_http_requests_total_by_method_total" in answer.content
    answers = []
    asking = threading.Thread(
        target=lambda: answers.append(
            client.get("/health/", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="bearer a-long-random-operations-token")
        )
    )
    asking.start()
    asking.join(timeout=60)
    assert answers[0].status_code == 200  # the scheme's case does not matter


@pytest.mark.parametrize(
    "authorization",
    ["Bearer a-wrong-token", "Bearer a-long-random-operations-toke", "Basic a-long-random-operations-token", ""],
)
def test_a_wrong_token_from_outside_is_the_same_404(client, settings, authorization):
    settings.OPERATIONS_TOKEN = "a-long-random-operations-token"
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=authorization).status_code == 404
    # the operations network needs no token, and a wrong one does not shut it out
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION=authorization).status_code == 200


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer", "Bearer  ", "Bearer \t"])
def test_without_a_configured_token_an_empty_bearer_is_refused(client, settings, authorization):
    settings.OPERATIONS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=authorization).status_code == 404
