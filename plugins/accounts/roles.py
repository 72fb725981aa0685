"""The names of the roles (Django groups) that the data migrations create; what each may do is in ``policy``."""

EDITORS = "Editors"
MODERATORS = "Moderators"
# A limited forum role: marks solutions, moves questions between topics, hides replies, archives.
COMMUNITY_MODERATORS = "Community moderators"
