"""The Strapi REST queries the build sends, as a site generator would write them.

Each function returns the query parameters for one collection; ``fetch_all`` pages through it.
Only the fields the pages show are asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

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
    """Yield the pages of a collection in order, ``PAGE_SIZE`` entries each.

    The first page gives the page count; the rest are fetched ``workers`` at a time when the
    source allows concurrent requests.
    """
    first = source.get(path, {**query, "pagination": {"page": 1, "pageSize": PAGE_SIZE}})
    meta = first["meta"]["pagination"]
    if on_total:
        on_total(meta["total"])
    yield first["data"]
    page_count = meta["pageCount"]
    pages = range(2, page_count + 1)

    def one(page: int) -> list[dict]:
        return source.get(path, {**query, "pagination": {"page": page, "pageSize": PAGE_SIZE}})["data"]

    if workers > 1 and getattr(source, "concurrent", False):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(one, pages)
    else:
        for page in pages:
            yield one(page)
