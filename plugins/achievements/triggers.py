"""How an achievement is earned: by a moderator, or automatically by a trigger with a threshold.

The rules engine that listens to domain events and awards these lives with the points issue;
the list is here because editors pick from it in the admin.
"""

from django.db import models


class Trigger(models.TextChoices):
    MANUAL = "manual", "Assigned by a moderator"
    QUESTIONS_ASKED = "questions_asked", "Questions asked"
    ANSWERS_POSTED = "answers_posted", "Answers posted"
    SOLUTIONS = "solutions", "Answers marked as the solution"
    ROADMAP_VOTES = "roadmap_votes", "Roadmap votes"
    BIOGRAPHY_UPDATED = "biography_updated", "Biography written"
    PROFILE_COMPLETED = "profile_completed", "Profile completed (avatar, biography, a link)"
