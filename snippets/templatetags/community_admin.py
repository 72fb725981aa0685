"""Template filters of the Community admin."""

from django import template

from plugins.achievements.triggers import readable_reason

register = template.Library()

# An award's or a ledger entry's reason in words, even one stored as a trigger code before reasons were sentences.
register.filter("readable_reason", readable_reason)
