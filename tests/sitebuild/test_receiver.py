"""The built-in receiver: signed webhooks that change the public site schedule one debounced build."""

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plugins.notifications.cms_webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from plugins.notifications.models import DeliveryStatus, Webhook, WebhookDelivery
from plugins.sitebuild.models import BuildStatus, SiteBuild
from plugins.teams.models import Team
from tests import factories

SECRET = "receiver-secret-0123456789"
URL = "/hooks/site-build/"


def signed(client, payload, secret=SECRET, timestamp=None):
    body = json.dumps(payload).encode()
    timestamp = timestamp or str(int(time.time()))
    headers = {
        f"HTTP_{TIMESTAMP_HEADER.upper().replace('-', '_')}": timestamp,
        f"HTTP_{SIGNATURE_HEADER.upper().replace('-', '_')}": sign(secret, timestamp, body),
    }
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def receiver_on(settings, tmp_path):
    settings.SITE_BUILD_WEBHOOK_SECRET = SECRET
    settings.SITE_BUILD_OUT = str(tmp_path / "site")
    settings.SITE_BUILD_DEBOUNCE_SECONDS = 60


PUBLISH = {"event": "entry.publish", "model": "team", "entry": {"publishedAt": "2026-11-24T10:00:00.000Z"}}


@pytest.mark.django_db
def test_the_receiver_refuses_unsigned_wrongly_signed_and_stale_messages(client, receiver_on):
    assert client.post(URL, data=json.dumps(PUBLISH), content_type="application/json").status_code == 401
    assert signed(client, PUBLISH, secret="wrong").status_code == 401
    assert signed(client, PUBLISH, timestamp=str(int(time.time()) - 3600)).status_code == 401
    assert client.get(URL).status_code == 405
    assert SiteBuild.objects.count() == 0


@pytest.mark.django_db
def test_the_receiver_is_off_without_a_secret(client, settings):
    settings.SITE_BUILD_WEBHOOK_SECRET = ""
    response = signed(client, PUBLISH)
    assert response.status_code == 503 and "SITE_BUILD_WEBHOOK_SECRET" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_drafts_change_does_not_build_and_bad_bodies_are_400(client, receiver_on):
    draft = {"event": "entry.update", "model": "team", "entry": {"publishedAt": None}}
    response = signed(client, draft)
    assert response.status_code == 200 and response.json()["build"] is None
    assert signed(client, ["not", "a", "payload"]).status_code == 400
    assert SiteBuild.objects.count() == 0


@pytest.mark.django_db
def test_events_while_a_build_waits_join_it(client, receiver_on, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = signed(client, PUBLISH)
    assert first.status_code == 202
    for _ in range(4):
        signed(client, {**PUBLISH, "event": "media.create"})
    build = SiteBuild.objects.get()
    assert build.requests == 5 and build.status == BuildStatus.SCHEDULED
    assert [e["event"] for e in build.events] == ["entry.publish"] + ["media.create"] * 4


@pytest.mark.django_db(transaction=True)
def test_ten_quick_publishes_give_one_rebuild(live_server, migrated_data, receiver_on, settings):
    # The real task queue (the database), so that the build waits for its debounce window.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    teams = factories.TeamFactory.create_batch(10, live=False)
    Webhook.objects.create(name="site build", url=f"{live_server.url}{URL}", events=["entry.publish"], secret=SECRET)
    for team in teams:
        team.save_revision().publish()

    run_worker()  # sends the ten deliveries; the build is not due yet
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 10
    build = SiteBuild.objects.get()
    assert build.requests == 10 and build.status == BuildStatus.SCHEDULED
    builds_queued = DBTaskResult.objects.filter(task_path__endswith="run_site_build")
    assert builds_queued.count() == 1

    builds_queued.update(run_after=timezone.now())  # the debounce window has passed
    run_worker()
    build.refresh_from_db()
    assert build.status == BuildStatus.SUCCEEDED, build.summary
    team_page = (Path(settings.SITE_BUILD_OUT) / "team/index.html").read_text()
    assert all(team.name in team_page for team in Team.objects.filter(pk__in=[t.pk for t in teams]))
    assert SiteBuild.objects.count() == 1

    # A publish after the build schedules the next one.
    teams[0].save_revision().publish()
    run_worker()
    assert SiteBuild.objects.filter(status=BuildStatus.SCHEDULED).count() == 1


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
