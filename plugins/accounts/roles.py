"""The names of the roles (Django groups) that the data migrations create."""

EDITORS = "Editors"
MODERATORS = "Moderators"
