"""Markdown to safe HTML: markdown-it-py parses (raw HTML off), nh3 keeps only an allow-list.

Two layers on purpose: the parser never emits raw HTML from the source and refuses dangerous link
schemes, and the sanitiser removes anything outside the allow-list whatever the parser produced
(no script, no event handlers, no style, no ``javascript:``/``data:`` URLs).
"""

from __future__ import annotations

import nh3
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


def sanitise_html(html: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; links get rel="nofollow ugc noopener"."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Safe HTML for a member's Markdown."""
    return sanitise_html(_parser.render(source or ""))
