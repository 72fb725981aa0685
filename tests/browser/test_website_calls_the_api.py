"""A website on another origin calls the API from headless Chromium with a JWT, as posthog.com does:
CORS preflights, sign in, ask a question, subscribe to it through the profile, read /users/me."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.signals import request_started

from plugins.forum.models import Question, Subscription
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Community</title></head>
<body><h1>Community</h1><pre id="log"></pre>
<script>
const API = %(api)s;
const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
async function call(method, path, body, jwt) {
  const headers = { 'Content-Type': 'application/json' };
  if (jwt) headers['Authorization'] = 'Bearer ' + jwt;
  const response = await fetch(API + path, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(method + ' ' + path + ': ' + response.status + ' ' + JSON.stringify(json));
  return json;
}
(async () => {
  try {
    const { jwt } = await call('POST', '/api/auth/local', { identifier: %(email)s, password: %(password)s });
    log('signed in');
    const question = { subject: 'Does CORS work?', body: 'From the site.' };
    const asked = await call('POST', '/api/questions', { data: question }, jwt);
    log('asked ' + asked.data.id);
    const me = await call('GET', '/api/users/me?populate[profile][populate][questionSubscriptions]=true', null, jwt);
    await call('PUT', '/api/profiles/' + me.profile.id,
      { data: { questionSubscriptions: { connect: [asked.data.id] } } }, jwt);
    const again = await call('GET', '/api/users/me?populate[profile][populate][questionSubscriptions]=true', null, jwt);
    log('subscribed ' + again.profile.questionSubscriptions.map((q) => q.id).join(','));
    document.title = 'done';
  } catch (error) {
    log('failed: ' + error.message);
    document.title = 'failed';
  }
})();
</script></body></html>"""


def website(html: str):
    """A one-page website on its own origin (another port of 127.0.0.1)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def member(migrated_data):
    user = factories.UserFactory(email="site-member@example.com")
    factories.ProfileFactory(user=user, email=user.email)
    return user


def run_site(page, live_server, member, tmp_path, name, settings, allowed=None):
    """Serve the page on its own origin, allow ``allowed`` (the site itself by default), load it in Chromium."""
    html = PAGE % {
        "api": json.dumps(live_server.url),
        "email": json.dumps(member.email),
        "password": json.dumps(factories.PASSWORD),
    }
    server = website(html)
    try:
        origin = f"http://127.0.0.1:{server.server_port}"
        # The live server runs in this process: the setting is the one it reads.
        settings.CORS_ALLOWED_ORIGINS = [allowed or origin]
        settings.API_DEFAULT_RESPONSE_FORMAT = "v4"  # as a posthog.com deployment sets it
        # Chromium does not show its preflights to the page: the API server counts them as they arrive.
        preflights = []

        def seen(environ=None, **kwargs):
            if environ and environ.get("REQUEST_METHOD") == "OPTIONS":
                preflights.append(environ.get("PATH_INFO", ""))

        request_started.connect(seen)
        page.goto(origin + "/")
        page.wait_for_function("document.title === 'done' || document.title === 'failed'", timeout=30_000)
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        return page.text_content("#log"), preflights
    finally:
        request_started.disconnect(seen)
        server.shutdown()


def test_the_website_signs_in_asks_and_subscribes_across_origins(page, live_server, member, tmp_path, settings):
    log, preflights = run_site(page, live_server, member, tmp_path, "website-calls-the-api", settings)
    assert "failed" not in log, log
    question = Question.objects.get(subject="Does CORS work?")
    assert f"asked {question.pk}" in log and f"subscribed {question.pk}" in log
    assert Subscription.objects.filter(profile__user=member, question=question).exists()
    # JSON bodies and the Authorization header make the browser ask first.
    assert any(url.endswith("/api/auth/local") for url in preflights)
    assert any("/api/profiles/" in url for url in preflights)


def test_another_origin_is_refused_by_the_browser(page, live_server, member, tmp_path, settings):
    log, _ = run_site(page, live_server, member, tmp_path, "other-origin-refused", settings, "https://posthog.com")
    assert "failed" in log and "signed in" not in log
    assert not Question.objects.filter(subject="Does CORS work?").exists()
