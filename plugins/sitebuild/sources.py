"""Where the build reads the REST API and the media files from.

Over HTTP (``HttpSource``) with an API token, as a site generator on another machine does; or
in-process (``InProcessSource``) through Django's own request handling, so that a build on the CMS
machine sends the very same requests without a server. Either way only the public REST API is
read: the build never touches the content tables.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.core.files.storage import default_storage
from requests.adapters import HTTPAdapter

from plugins.sitebuild.querystring import encode

TIMEOUT_SECONDS = 60


class SourceError(Exception):
    """The API or a media server refused a request; the message says which and why."""


class TooLarge(SourceError):
    """The API refused a response for holding more related rows than it may (its populate budget): the
    same rows asked for in smaller chunks fit."""


def _json_or_error(response, url: str) -> dict:
    """The answer's JSON; for anything but a 200, a ``SourceError`` with the API's own message."""
    if response.status_code == 200:
        return response.json()
    try:
        body = response.json()
    except ValueError:
        body = None
    error = SourceError if not _over_budget(response.status_code, body) else TooLarge
    raise error(_error_message(response.status_code, url, body))


def _over_budget(status: int, body) -> bool:
    """A 400 for the populate's related-row budget (``API_POPULATE_MAX_ROWS``), which names the limit."""
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    return status == 400 and isinstance(details, dict) and details.get("key") == "populate" and "limit" in details


def _error_message(status: int, url: str, body) -> str:
    detail = ""
    if isinstance(body, dict):
        error = body.get("error") or {}
        detail = error.get("message", "") if isinstance(error, dict) else str(error)
    hint = " (is the API token valid and allowed to read it?)" if status in (401, 403) else ""
    return f"GET {url} answered {status}{hint}: {detail}".rstrip(": ")


class HttpSource:
    """The REST API at ``api_url`` (e.g. https://cms.example.com/api), with a Bearer token when given."""

    concurrent = True

    def __init__(self, api_url: str, token: str | None = None, workers: int = 4):
        self.api_url = api_url.rstrip("/")
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourceError(f"--api-url must be an http(s) URL such as https://cms.example.com/api, not {api_url!r}")
        self.origin = f"{parts.scheme}://{parts.netloc}/"
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(workers, 2) * 2)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["Accept"] = "application/json"

    def get(self, path: str, params: dict) -> dict:
        url = f"{self.api_url}{path}?{encode(params)}"
        try:
            response = self.session.get(url, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            raise SourceError(f"GET {url} failed: {error}") from error
        return _json_or_error(response, url)

    def get_file(self, url: str) -> bytes:
        # Media URLs are relative to the CMS (local storage) or absolute (S3, a CDN).
        absolute = urljoin(self.origin, url)
        try:
            response = self.session.get(absolute, timeout=TIMEOUT_SECONDS, headers={"Accept": "*/*"})
        except requests.RequestException as error:
            raise SourceError(f"GET {absolute} failed: {error}") from error
        if response.status_code != 200:
            raise SourceError(f"GET {absolute} answered {response.status_code}")
        return response.content


def _in_process_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


class InProcessSource:
    """The REST API through Django's request handling in this process (no server, no network)."""

    # One database connection per thread: an in-process build reads from one thread.
    concurrent = False

    def __init__(self, token: str | None = None):
        from django.test import Client  # Django's in-process HTTP client, used here outside tests

        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = Client(headers=headers, HTTP_HOST=_in_process_host())
        self.http = None

    def get(self, path: str, params: dict) -> dict:
        url = f"/api{path}?{encode(params)}"
        response = self.client.get(url)
        return _json_or_error(response, url)

    def get_file(self, url: str) -> bytes:
        if url.startswith(settings.MEDIA_URL) and not url.startswith(("http://", "https://")):
            name = url[len(settings.MEDIA_URL) :]
            try:
                with default_storage.open(name, "rb") as handle:
                    return handle.read()
            except OSError as error:
                raise SourceError(f"Media file {url} cannot be read: {error}") from error
        if self.http is None:
            self.http = requests.Session()
        try:
            response = self.http.get(url, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            raise SourceError(f"GET {url} failed: {error}") from error
        if response.status_code != 200:
            raise SourceError(f"GET {url} answered {response.status_code}")
        return response.content
