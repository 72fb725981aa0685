"""Fuzzing the API from its own OpenAPI document (schemathesis): whatever it is sent, it never answers 5xx.

Every documented operation gets ``FUZZ_EXAMPLES`` generated requests in each of schemathesis' modes
(positive: what the schema allows; negative: what it forbids), as an editor — the role that reaches
the most code — with the community of ``tests/api/conftest.py`` in the database; operations on one
document are fuzzed once more on a row that exists, so that their bodies reach the writes. Bounded
by the count and derandomized (a run is repeatable): about a minute. ``FUZZ_EXAMPLES=200`` digs deeper.
"""

import os
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from api.authentication import issue_jwt
from tests import factories

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
# Which row of the community fixture each plural's document operations are fuzzed on.
ROWS = {
    "profiles": "ada",
    "teams": "growth",
    "jobs": "job",
    "achievements": "oracle",
    "achievement-groups": "group",
    "reward-products": "stickers",
    "roadmaps": "roadmap",
    "topic-groups": "topic_group",
    "topics": "topic",
    "questions": "question",
    "replies": "reply",
    "team-updates": "team_update",
    "users": "account",
}
DOCUMENT_PATH = re.compile(r"^/api/(?P<plural>[^/]+)/\{(?P<name>documentId|document_id)\}")

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_the_test_connection():
    """Requests through the WSGI app would close the test's database connection (and its transaction)
    when they finish; Django's test client unhooks that signal the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_no_generated_request_gets_a_server_error(community, settings, keep_the_test_connection):
    settings.API_RATE_LIMITS = {}  # a 429 would only hide the code behind it
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {issue_jwt(factories.editor())}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 90  # every documented endpoint, the generated ones included
    failures, fuzzed = {}, 0
    for operation in operations:
        runs = [(mode, None) for mode in schemathesis.GenerationMode]
        match = DOCUMENT_PATH.match(operation.path)
        if match and match["plural"] in ROWS:
            row = community[ROWS[match["plural"]]]
            runs.append((schemathesis.GenerationMode.POSITIVE, {match["name"]: row.document_id}))
        for mode, path_parameters in runs:
            try:
                fuzz(operation, headers, mode, path_parameters)
                fuzzed += 1
            except Unsatisfiable:
                continue  # nothing in the operation that a negative case could break (no parameters, no body)
            except AssertionError as error:  # schemathesis' check failed: a 5xx
                failures[f"{operation.label} ({mode.value})"] = str(error)[:800]
    assert failures == {}
    assert fuzzed > 150


def fuzz(operation, headers, mode, path_parameters):
    strategy = (
        operation.as_strategy(mode, path_parameters=path_parameters) if path_parameters else operation.as_strategy(mode)
    )

    @given(case=strategy)
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=[schemathesis.checks.not_a_server_error])

    run()
