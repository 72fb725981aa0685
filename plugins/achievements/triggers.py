"""How an achievement is earned: by a moderator, or automatically by a trigger with a threshold.

The rules engine that listens to domain events and awards these lives with the points issue;
the list is here because editors pick from it in the admin.
"""

import re

from django.db import models


class Trigger(models.TextChoices):
    MANUAL = "manual", "Assigned by a moderator"
    QUESTIONS_ASKED = "questions_asked", "Questions asked"
    ANSWERS_POSTED = "answers_posted", "Answers posted"
    SOLUTIONS = "solutions", "Answers marked as the solution"
    ROADMAP_VOTES = "roadmap_votes", "Roadmap votes"
    BIOGRAPHY_UPDATED = "biography_updated", "Biography written"
    PROFILE_COMPLETED = "profile_completed", "Profile completed (avatar, biography, a link)"


# Read from the profile itself (met or not), not counted: a count of them says nothing to a reader.
PROFILE_TRIGGERS = {Trigger.BIOGRAPHY_UPDATED, Trigger.PROFILE_COMPLETED}

# How awards' reasons were written before they were sentences: "3 × questions_asked".
_CODED_REASON = re.compile(r"(\d+) × ([a-z_]+)")


def activity_reason(trigger: str, count: int) -> str:
    """Why an automatic achievement was awarded, in words: the trigger's label (from its choices) and,
    for a counted trigger, the count reached, e.g. "Questions asked: 10"."""
    label = Trigger(trigger).label
    return label if trigger in PROFILE_TRIGGERS else f"{label}: {count}"


def readable_reason(reason: str) -> str:
    """A stored reason as people read it. Reasons written before they were sentences ("3 × questions_asked",
    also inside a ledger entry's "Achievement: … (3 × questions_asked)") are put in words when shown: the
    ledger is append-only and an award's reason is history, so the stored text is never rewritten."""

    def words(match):
        count, trigger = match.groups()
        return activity_reason(trigger, int(count)) if trigger in Trigger.values else match.group(0)

    return _CODED_REASON.sub(words, reason or "")
