"""Bulk action on a (filtered) list of profiles: assign one achievement to all of them."""

from __future__ import annotations

from django import forms
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from plugins.accounts.policy import Actor
from plugins.achievements.models import Achievement
from plugins.achievements.services import AwardError, award_achievement
from plugins.profiles.models import Profile


class AssignAchievementForm(forms.Form):
    achievement = forms.ModelChoiceField(queryset=Achievement.objects.filter(live=True).order_by("title"))
    reason = forms.CharField(max_length=255, required=False)


class AssignAchievementBulkAction(SnippetBulkAction):
    display_name = "Assign achievement"
    action_type = "assign_achievement"
    aria_label = "Assign an achievement to the selected profiles"
    template_name = "community_admin/confirm_bulk_assign_achievement.html"
    action_priority = 20
    form_class = AssignAchievementForm
    models = [Profile]

    def check_perm(self, profile):
        return Actor.of(self.request.user).moderates

    def get_execution_context(self):
        return {
            "achievement": self.cleaned_form.cleaned_data["achievement"],
            "reason": self.cleaned_form.cleaned_data["reason"],
            "user": self.request.user,
        }

    @classmethod
    def execute_action(cls, objects, achievement=None, reason="", user=None, **kwargs):
        """Award to each profile; those who hold it already are skipped, not failed."""
        given = 0
        for profile in objects:
            try:
                award_achievement(profile, achievement, awarded_by=user, reason=reason)
            except AwardError:
                continue
            given += 1
        return given, len(objects) - given

    def get_success_message(self, num_parent_objects, num_child_objects):
        skipped = f"; {num_child_objects} held it already" if num_child_objects else ""
        return f"Achievement assigned to {num_parent_objects} profiles{skipped}."
