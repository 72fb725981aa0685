"""Markdown to safe HTML: markdown-it-py parses (raw HTML off), nh3 keeps only an allow-list.

Two layers on purpose: the parser never emits raw HTML from the source and refuses dangerous link
schemes, and the sanitiser removes anything outside the allow-list whatever the parser produced
(no script, no event handlers, no style, no ``javascript:``/``data:`` URLs).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

from plugins.core.text import MAX_TEXT_LENGTH

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN_LENGTH = MAX_TEXT_LENGTH

_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)


def image_sources() -> tuple[str, ...]:
    """Where images in posts may come from: our media (local or its storage's URL) and configured hosts."""
    return (settings.MEDIA_URL, *settings.FORUM_IMAGE_SOURCES)


def resolved_url(url: str):
    """``url`` split as a browser will request it: backslashes as slashes, ``.`` and ``..`` (even
    percent-encoded) resolved, so that ``/media/../api/users/me`` reads as the ``/api/users/me`` it is."""
    parts = urlsplit(url.strip().replace("\\", "/"))
    path = unquote(parts.path)
    if path:
        resolved = posixpath.normpath(path)
        # normpath keeps a leading "//" (a host, to a browser) and drops a trailing "/"; neither is wanted.
        resolved = "/" + resolved.lstrip("/") if path.startswith("/") else resolved
        path = resolved + ("/" if path.endswith("/") and resolved != "/" else "")
    return parts._replace(path=path)


def from_image_source(url: str) -> bool:
    """Whether ``url``, as a browser resolves it, is under one of ``image_sources()``: the same scheme and
    host, and a path inside the source's folder (``https://cdn.example.com.evil/`` is not ``cdn.example.com``)."""
    resolved = resolved_url(url)
    for source in image_sources():
        allowed = urlsplit(source)
        folder = allowed.path if allowed.path.endswith("/") else allowed.path + "/"
        same_origin = (resolved.scheme, resolved.netloc) == (allowed.scheme, allowed.netloc)
        if same_origin and (resolved.path + "/").startswith(folder) and resolved.path != folder.rstrip("/"):
            return True
    return False


def _safe_image(tag: str, attribute: str, value: str) -> str | None:
    # An image from anywhere else would let a post track its readers (or hotlink), or make their
    # browser request one of our own endpoints; it is dropped. The URL is checked as resolved, and
    # kept as written (its escapes mean what they meant).
    if tag == "img" and attribute == "src":
        return value if from_image_source(value) else None
    return value


def sanitise_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; links get rel="nofollow ugc noopener";
    images only from ``image_sources()``."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
        attribute_filter=_safe_image,
    )


def render_markdown(source: str) -> str:
    """Safe HTML for a member's Markdown."""
    return sanitise_html(_parser.render(source or ""))
