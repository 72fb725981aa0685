"""What an ask sets off runs in the background: the request writes the question and queues one task."""

import json

import pytest
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from plugins.achievements.models import ActivityCount
from plugins.achievements.triggers import Trigger
from tests import factories
from tests.api.helpers import bearer

pytestmark = pytest.mark.django_db


def test_an_ask_answers_before_its_subscribers_run_and_the_worker_runs_them(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    profile = factories.ProfileFactory(user=factories.UserFactory())
    body = {"data": {"subject": "How do flags work?", "body": "With Django, please."}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/questions", json.dumps(body), content_type="application/json", **bearer(profile.user)
        )
    assert response.status_code == 201, response.content

    # Nothing the question sets off ran inside the request: only the event is queued.
    assert not ActivityCount.objects.filter(profile=profile, trigger=Trigger.QUESTIONS_ASKED).exists()
    queued = DBTaskResult.objects.filter(task_path="plugins.core.events.deliver_event")
    assert [row.args_kwargs["args"][0] for row in queued] == ["question_asked"]
    touched = type(profile).objects.get(pk=profile.pk).updated_at

    # What a worker does with each queued row (db_worker itself closes the test's connection on PostgreSQL).
    for row in queued:
        import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    counted = ActivityCount.objects.get(profile=profile, trigger=Trigger.QUESTIONS_ASKED)
    assert counted.count == 1
    assert type(profile).objects.get(pk=profile.pk).updated_at > touched  # the profile's page changed
    assert DBTaskResult.objects.filter(task_path="plugins.forum.subscribers.announce_question").exists()
