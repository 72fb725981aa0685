"""The Strapi REST queries the build sends, as a site generator would write them.

Each function returns the query parameters for one collection; ``fetch_all`` pages through it.
Only the fields the pages show are asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from plugins.sitebuild.sources import TooLarge

PAGE_SIZE = 100

MEMBER_FIELDS = [
    "firstName",
    "lastName",
    "pronouns",
    "companyRole",
    "location",
    "country",
    "startDate",
    "pineappleOnPizza",
    # Names a member without a name (``content.full_name``).
    "github",
]
PROFILE_FIELDS = [
    *MEMBER_FIELDS,
    "biography",
    "website",
    "linkedin",
    "twitter",
    "company",
    "points",
    "reputationTier",
    "updatedAt",
]


def api_time(moment: datetime) -> str:
    """A moment as the API writes times (UTC, milliseconds, Z), for comparing with ``updatedAt``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


MEDIA = {"fields": ["url", "width", "height", "alternativeText", "formats"]}


def started_members(today: date) -> dict:
    """Team members whose start date has come, with their avatars."""
    return {
        "fields": MEMBER_FIELDS,
        "filters": {"startDate": {"$lte": today.isoformat()}},
        "sort": ["firstName:asc", "lastName:asc", "id:asc"],
        "populate": {"avatar": MEDIA},
    }


def teams(today: date) -> dict:
    """Every published small team with its crest, started members, leads, open jobs and roadmap."""
    return {
        "fields": ["name", "slug", "tagline", "description", "emojis", "displayOrder", "pineappleVerdict",
                   "pineappleShareInFavour", "updatedAt"],
        "sort": ["displayOrder:asc", "name:asc", "id:asc"],
        "populate": {
            "crest": MEDIA,
            "profiles": started_members(today),
            "leadProfiles": {"fields": ["id"], "filters": {"startDate": {"$lte": today.isoformat()}}},
            "jobs": {"fields": ["title", "slug", "location", "remote", "employmentType"], "sort": ["title:asc"]},
            "roadmaps": {
                "fields": ["title", "slug", "tagline", "complete", "projectedCompletion", "dateCompleted"],
                "sort": ["projectedCompletion:desc", "title:asc"],
            },
        },
    }  # fmt: skip


def jobs() -> dict:
    """Every published job listing and the slugs of its teams (the teams come from ``teams``)."""
    return {
        "fields": ["title", "slug", "department", "location", "remote", "employmentType", "description",
                   "applyUrl", "updatedAt"],
        "sort": ["title:asc", "id:asc"],
        "populate": {"teams": {"fields": ["slug"]}},
    }  # fmt: skip


def profiles(changed_since: str | None = None, also: dict | None = None) -> dict:
    """Profiles with what their page shows; only those changed since a time when ``changed_since`` is given.

    ``also`` adds conditions under which an unchanged profile's page changed all the same (an
    achievement it holds or a team it is on was edited), joined with ``$or``.
    """
    query = {
        "fields": PROFILE_FIELDS,
        "sort": ["id:asc"],
        "populate": {
            "avatar": MEDIA,
            "teams": {"fields": ["name", "slug"], "sort": ["name:asc"]},
            "achievements": {
                "sort": ["title:asc"],
                "populate": {
                    "achievement": {"fields": ["title", "description", "points", "tier"], "populate": {"icon": MEDIA}}
                },
            },
            "questions": {"fields": ["subject", "permalink", "createdAt"], "sort": ["createdAt:desc", "id:desc"]},
            "replies": {
                "fields": ["createdAt"],
                "sort": ["createdAt:desc", "id:desc"],
                "populate": {"question": {"fields": ["subject", "permalink"]}},
            },
        },
    }
    if changed_since:
        conditions = [{"updatedAt": {"$gt": changed_since}}, *(also or {}).values()]
        query["filters"] = {"$or": conditions} if len(conditions) > 1 else conditions[0]
    return query


def profile_ids() -> dict:
    """Every profile's id and last change: what exists now (for pages to remove)."""
    return {"fields": ["updatedAt"], "sort": ["id:asc"]}


def fetch_all(source, path: str, query: dict, workers: int = 1, on_total=None) -> Iterator[list[dict]]:
    """Yield a collection in order, in chunks of ``PAGE_SIZE`` entries (Strapi's ``start`` / ``limit``).

    The first chunk gives the total; the rest are fetched ``workers`` at a time when the source allows
    concurrent requests. A chunk whose related rows are more than one response may hold (the API's
    populate budget) is fetched again in halves, so busy members' pages build as quiet ones do.
    """
    first, total = _fetch_range(source, path, query, 0, PAGE_SIZE)
    if on_total:
        on_total(total)
    yield first
    starts = range(PAGE_SIZE, total, PAGE_SIZE)

    def one(start: int) -> list[dict]:
        return _fetch_range(source, path, query, start, PAGE_SIZE)[0]

    if workers > 1 and getattr(source, "concurrent", False):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(one, starts)
    else:
        for start in starts:
            yield one(start)


def _fetch_range(source, path: str, query: dict, start: int, limit: int) -> tuple[list[dict], int]:
    """Entries ``start`` to ``start + limit`` and the collection's total, in halves while they are too large."""
    try:
        answer = source.get(path, {**query, "pagination": {"start": start, "limit": limit}})
    except TooLarge:
        if limit == 1:
            raise  # one entry alone is over the budget: only the API's settings can let it through
        half = limit // 2
        head, total = _fetch_range(source, path, query, start, half)
        tail, _ = _fetch_range(source, path, query, start + half, limit - half) if start + half < total else ([], 0)
        return head + tail, total
    return answer["data"], answer["meta"]["pagination"]["total"]
