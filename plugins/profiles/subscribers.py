"""A profile's public page changes when its points, achievements or discussions do: say so in ``updated_at``."""

from plugins.core.events import subscribe
from plugins.profiles.services import touch_profiles


@subscribe("points_changed")
@subscribe("achievement_awarded")
@subscribe("achievement_revoked")
def profile_standing_changed(profile_id, **event):
    touch_profiles([profile_id])


@subscribe("question_asked")
@subscribe("reply_posted")
def profile_discussions_changed(author_id, **event):
    touch_profiles([author_id])
