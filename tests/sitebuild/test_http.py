"""The build over HTTP, as a site generator on another machine runs it: a read-only token, media from a server."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api.tokens import create_token
from plugins.demo.seeding import DemoSeeder
from plugins.sitebuild.build import SiteBuilder
from plugins.sitebuild.sources import HttpSource, SourceError
from tests.sitebuild.conftest import SMALL, build, tree

pytestmark = pytest.mark.django_db(transaction=True)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def media_server(settings, tmp_path):
    """The media folder served on loopback, as a CDN or S3 serves it; the API's URLs point at it."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_URL = f"http://127.0.0.1:{server.server_port}/media/"
    yield server
    server.shutdown()


@pytest.fixture
def http_demo(migrated_data, media_server):
    DemoSeeder(counts=SMALL, awards_per_member=2).run()
    _token, key = create_token("site build")
    return key


def test_a_build_over_http_with_a_read_only_token_equals_the_in_process_build(live_server, http_demo, tmp_path):
    out = tmp_path / "over-http"
    report = SiteBuilder(source=HttpSource(f"{live_server.url}/api", http_demo), out=out).build()
    assert report.media_downloaded > 10
    build(tmp_path / "in-process", cache_dir=tmp_path / "second-cache")
    assert tree(out) == tree(tmp_path / "in-process")


def test_the_command_builds_over_http_and_reports(live_server, http_demo, tmp_path):
    out = StringIO()
    call_command(
        "build_site", "--out", str(tmp_path / "site"), "--api-url", f"{live_server.url}/api", "--token", http_demo,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    assert "whole site" in out.getvalue() and "profiles" in out.getvalue()
    assert (tmp_path / "site/team/index.html").is_file()


def test_a_wrong_token_fails_with_a_clear_message_and_keeps_the_site(live_server, http_demo, tmp_path):
    site = tmp_path / "site"
    build(site)
    before = tree(site)
    with pytest.raises(SourceError, match=r"answered 401 \(is the API token valid"):
        SiteBuilder(source=HttpSource(f"{live_server.url}/api", "not-a-token"), out=site).build()
    assert tree(site) == before
    with pytest.raises(CommandError, match="previous site is unchanged"):
        call_command(
            "build_site", "--out", str(site), "--api-url", f"{live_server.url}/api", "--token", "nope",
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-url", "ftp://cms.example.com/api"], "must be an http"),
        (["--changed-since", "yesterday"], "ISO time"),
        (["--changed-since", "2026-11-24T09:00:00"], "time zone"),
        (["--today", "24/11/2026"], "--today takes a date"),
        (["--workers", "0"], "at least 1"),
    ],
)
def test_bad_options_are_refused_with_a_message(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_site", "--out", str(tmp_path / "site"), *args, stdout=StringIO(), stderr=StringIO())
    assert not (tmp_path / "site").exists()
