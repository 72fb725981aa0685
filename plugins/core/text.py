"""Limits on what people write: every long text field has one, so no post or profile is unbounded."""

from django.core.validators import MaxLengthValidator

# The most characters of one long text (a biography, a description, a forum post's Markdown).
MAX_TEXT_LENGTH = 50_000

long_text = MaxLengthValidator(MAX_TEXT_LENGTH)
"""The validator long text fields carry (``validators=[long_text]``); model validation enforces it."""
