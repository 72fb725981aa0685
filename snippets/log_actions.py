"""The Community's entries in Wagtail's history: each says what happened, to what, how many points and why.

The services log what they did with its particulars in the entry's ``data`` (``wagtail.log_actions.log``);
the message is made from them when the history is shown (Wagtail's ``LogFormatter``). An entry without
those particulars (written before they were logged) reads as the action's plain message. Members are named
as members see them (``Profile.display_name``): community moderators read these messages too.
"""

from __future__ import annotations

from collections.abc import Callable

from wagtail.log_actions import LogFormatter

from plugins.achievements.triggers import readable_reason


def points(amount) -> str:
    return "1 point" if amount == 1 else f"{amount} points"


def because(data: dict, key: str = "reason") -> str:
    reason = readable_reason(data.get(key) or "").strip()
    return f": {reason}" if reason else ""


def listing(names) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def stock(value) -> str:
    return "unlimited" if value is None else str(value)


def helpful_verdict(data: dict) -> str:
    verdict = {True: "helpful", False: "not helpful"}.get(data["helpful"])
    author = data["author"]
    return f"Marked {author}'s reply {verdict}" if verdict else f"Took back the verdict on {author}'s reply"


# action: (label, plain message, the message from the entry's data or None when it has none to say).
ACTIONS: dict[str, tuple[str, str, Callable[[dict], str] | None]] = {
    "community.team_member.add": (
        "Add team member",
        "Team member added",
        lambda d: f"Added as a team member of {d['team']}",
    ),
    "community.achievement.assign": (
        "Assign achievement",
        "Achievement assigned",
        lambda d: f"Awarded “{d['achievement']}” ({points(d['points'])}){because(d)}",
    ),
    "community.achievement.revoke": (
        "Revoke achievement",
        "Achievement revoked",
        lambda d: f"Revoked “{d['achievement']}”, taking back {points(d['points'])}{because(d)}",
    ),
    "community.points.gift": ("Gift points", "Points gifted", lambda d: f"Gifted {points(d['points'])}{because(d)}"),
    "community.reward.redeem": (
        "Redeem reward",
        "Reward redeemed",
        lambda d: f"Redeemed “{d['product']}” for {points(d['points'])}",
    ),
    "community.reward.cancel": (
        "Cancel redemption",
        "Redemption cancelled, points refunded",
        lambda d: f"Cancelled the redemption of “{d['product']}”, refunding {points(d['points'])}{because(d)}",
    ),
    "community.reward.fulfil": ("Fulfil order", "Order fulfilled", lambda d: f"Sent the order of “{d['product']}”"),
    "community.reward.credit_enable": (
        "Enable account credit",
        "Account credit enabled",
        lambda d: f"Enabled account credit for “{d['product']}”",
    ),
    "community.reward.restock": (
        "Restock",
        "Stock changed",
        lambda d: f"Stock changed from {stock(d['from'])} to {stock(d['to'])}",
    ),
    "community.team.member_set": (
        "Put on the team",
        "Member added, made lead or no longer lead",
        lambda d: f"Put {d['profile']} on the team{', as a lead' if d['lead'] else ', not as a lead'}",
    ),
    "community.team.member_remove": (
        "Take off the team",
        "Member taken off the team",
        lambda d: f"Took {d['profile']} off the team",
    ),
    "community.member.block": ("Block member", "Member blocked: their posts are hidden", None),
    "community.member.unblock": ("Unblock member", "Member unblocked", None),
    "forum.archive": ("Archive", "Question archived", None),
    "forum.unarchive": ("Unarchive", "Question unarchived", None),
    "forum.approve": ("Approve", "Held question approved", None),
    "forum.pin": ("Pin", "Question pinned", lambda d: f"Pinned in {listing(d['topics'])}"),
    "forum.unpin": ("Unpin", "Question unpinned", None),
    # Which tag and why a question went to support stay in the entry's data: Wagtail's site history report shows
    # these messages to community moderators too, who may not read internal tags or support's notes.
    "forum.tag": ("Add internal tag", "Internal tag added", None),
    "forum.untag": ("Remove internal tag", "Internal tag removed", None),
    "forum.move": ("Move", "Question moved to other topics", lambda d: f"Moved to {listing(d['topics'])}"),
    "forum.hide_reply": ("Hide reply", "Reply hidden", lambda d: f"Hid a reply by {d['author']}"),
    "forum.unhide_reply": ("Show reply", "Reply shown again", lambda d: f"Showed {d['author']}'s reply again"),
    "forum.escalate": ("Escalate", "Escalated to support", None),
    "forum.helpful": ("Mark helpful", "Reply marked helpful (or not)", helpful_verdict),
    "forum.delete_reply": ("Delete reply", "Reply deleted", lambda d: f"Deleted a reply by {d['author']}"),
    "forum.moderator_edit": (
        "Edit someone's post",
        "Post edited by a moderator",
        lambda d: f"Edited the {listing(d['fields'])} of {d['author']}'s post",
    ),
}


def formatter(label: str, message: str, describe: Callable[[dict], str] | None) -> type[LogFormatter]:
    """A ``LogFormatter`` class whose message is ``describe(entry.data)``, or ``message`` when the entry lacks
    what ``describe`` reads."""

    def format_message(self, log_entry):
        if describe is None:
            return message
        try:
            return describe(log_entry.data or {})
        except (KeyError, TypeError, IndexError):
            return message

    attributes = {"label": label, "message": message, "format_message": format_message}
    return type("CommunityLogFormatter", (LogFormatter,), attributes)


def register(actions) -> None:
    """Register every Community action with Wagtail's log registry (the ``register_log_actions`` hook)."""
    for action, (label, message, describe) in ACTIONS.items():
        actions.register_action(action)(formatter(label, message, describe))
