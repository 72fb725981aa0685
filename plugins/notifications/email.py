"""E-mail from background tasks, retried when the mail server fails."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from plugins.notifications.retry import retry_later

logger = logging.getLogger(__name__)


@task()
def send_email(to: str, subject: str, text: str, html: str = "", headers: dict | None = None, attempt: int = 1) -> bool:
    """Background task: send one e-mail (text, and HTML when given); retried a few times on failure."""
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # any transport error: SMTP, DNS, refused connection
        logger.warning("E-mail to %s failed (attempt %s)", to, attempt, exc_info=True)
        if retry_later(send_email, attempt, to, subject, text, html, headers):
            return False
        raise
    return True
