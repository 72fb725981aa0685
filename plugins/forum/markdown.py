"""Markdown to safe HTML: markdown-it-py parses (raw HTML off), nh3 keeps only an allow-list.

Two layers on purpose: the parser never emits raw HTML from the source and refuses dangerous link
schemes, and the sanitiser removes anything outside the allow-list whatever the parser produced
(no script, no event handlers, no style, no ``javascript:``/``data:`` URLs).
"""

from __future__ import annotations

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

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
MAX_MARKDOWN_LENGTH = 50_000

_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)


def image_sources() -> tuple[str, ...]:
    """Where images in posts may come from: our media (local or its storage's URL) and configured hosts."""
    return (settings.MEDIA_URL, *settings.FORUM_IMAGE_SOURCES)


def _safe_image(tag: str, attribute: str, value: str) -> str | None:
    # An image from anywhere else would let a post track its readers (or hotlink); it is dropped.
    if tag == "img" and attribute == "src" and not value.startswith(image_sources()):
        return None
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
