"""Keep the Moderators role in step with team membership, whichever side changes it.

Team membership is edited through model forms (admin), the relation's managers (API, seeding)
and by deleting a team; Django signals are the one hook all three pass through.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from plugins.accounts.services import set_team_moderator
from plugins.assets.collections import AVATARS
from plugins.assets.services import file_image_id
from plugins.profiles.models import Profile
from plugins.profiles.services import sync_team_role, sync_team_roles, touch_profiles
from plugins.teams.models import Team, forget_pineapple_counts


@receiver(m2m_changed, sender=Profile.teams.through)
@receiver(m2m_changed, sender=Profile.lead_teams.through)
def team_membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        forget_pineapple_counts()
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            sync_team_role(instance)
            touch_profiles([instance.pk])
        return
    # Changed from the team's side: ``instance`` is a team and ``pk_set`` holds profile ids.
    if action == "pre_clear":
        related = instance.profiles if sender is Profile.teams.through else instance.lead_profiles
        instance._profiles_being_cleared = list(related.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        sync_team_roles(pk_set)
        touch_profiles(pk_set)
    elif action == "post_clear":
        sync_team_roles(getattr(instance, "_profiles_being_cleared", []))
        touch_profiles(getattr(instance, "_profiles_being_cleared", []))


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, created, **kwargs):
    forget_pineapple_counts()  # the answer may have changed
    previous = getattr(instance, "_loaded_user_id", None)
    if previous and previous != instance.user_id:
        # The profile was moved to another account: the old one no longer sits on its teams.
        old_user = get_user_model().objects.filter(pk=previous).first()
        if old_user is not None:
            set_team_moderator(old_user, False)
    instance._loaded_user_id = instance.user_id
    if not created:
        sync_team_role(instance)
    if instance.avatar_id is not None and instance.avatar_id != getattr(instance, "_loaded_avatar_id", None):
        # However it came (the admin's chooser, the API's upload then profile update, onboarding), a
        # member's avatar is kept with the other avatars, out of the icon and crest choosers' way.
        file_image_id(instance.avatar_id, AVATARS)
    instance._loaded_avatar_id = instance.avatar_id


@receiver(pre_delete, sender=Team)
def remember_team_members(sender, instance, **kwargs):
    instance._member_ids = set(instance.profiles.values_list("pk", flat=True)) | set(
        instance.lead_profiles.values_list("pk", flat=True)
    )


@receiver(post_delete, sender=Team)
def team_deleted(sender, instance, **kwargs):
    forget_pineapple_counts()
    sync_team_roles(getattr(instance, "_member_ids", ()))
