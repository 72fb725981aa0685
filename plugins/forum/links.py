"""Links the forum puts in e-mails and messages: permalinks and signed one-click unsubscribe links."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

UNSUBSCRIBE_SALT = "forum.unsubscribe"


def question_url(question) -> str:
    return settings.FORUM_QUESTION_URL_TEMPLATE.replace("{slug}", question.slug)


def unsubscribe_token(profile_id: int, *, question_id: int | None = None, topic_id: int | None = None) -> str:
    """A signed token naming one subscription; it never expires, as the e-mail it is in does not."""
    return signing.dumps({"p": profile_id, "q": question_id, "t": topic_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict | None:
    """``{"p", "q", "t"}`` from a token made here, or None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and {"p", "q", "t"} <= set(data) else None


def unsubscribe_url(token: str) -> str:
    return f"{settings.PUBLIC_API_URL.rstrip('/')}/api/subscriptions/unsubscribe?token={token}"
