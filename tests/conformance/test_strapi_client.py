"""Runs the official @strapi/client test suite (node --test) against a live server with demo data."""

import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from api.tokens import create_token
from tests import factories

HERE = Path(__file__).resolve().parent

pytestmark = [pytest.mark.conformance, pytest.mark.django_db(transaction=True)]


def test_strapi_client_conformance(live_server, migrated_data):
    node = shutil.which("node")
    assert node, "node is needed for the conformance suite"
    assert (HERE / "node_modules" / "@strapi" / "client").exists(), "run: npm ci --prefix tests/conformance"
    call_command(
        "seed_demo",
        "--allow-production",
        "--teams=4",
        "--team-members=12",
        "--members=30",
        "--achievements=6",
        "--reward-products=3",
        "--jobs=4",
        stdout=StringIO(),
    )
    _, full = create_token("conformance", kind="full-access")
    _, read = create_token("conformance read", kind="read-only")
    editor = factories.editor(username="conformance-editor")
    env = {
        **os.environ,
        "CMS_URL": live_server.url,
        "CMS_TOKEN": full,
        "CMS_READ_TOKEN": read,
        "CMS_EDITOR": editor.username,
        "CMS_PASSWORD": factories.PASSWORD,
    }
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", "strapi-client.test.mjs"],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(result.stdout[-20000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "# fail 0" in result.stdout or "ℹ fail 0" in result.stdout
