"""The API's JSON turned into what the pages show: members, teams, jobs and profiles, in a fixed order."""

from __future__ import annotations

import nh3

from plugins.core.countries import country_flag, country_name
from plugins.forum.markdown import render_markdown
from plugins.sitebuild.media import MediaCollector
from plugins.teams.pineapple import VERDICT_LABELS

AVATAR_WIDTH = 64
PROFILE_AVATAR_WIDTH = 128
CREST_WIDTH = 96
ICON_WIDTH = 40
RECENT_DISCUSSIONS = 5

EMPLOYMENT_TYPES = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "internship": "Internship",
}


def editorial_html(html: str | None) -> str:
    """Editors' rich text, cleaned once more on its way into a static page (nh3's default allow-list)."""
    return nh3.clean(html or "")


def profile_url(profile_id) -> str:
    return f"/community/profiles/{profile_id}/"


def team_url(slug: str) -> str:
    return f"/teams/{slug}/"


def job_url(slug: str) -> str:
    return f"/careers/{slug}/"


def full_name(person: dict) -> str:
    """A person as the site names them, from what the public API gives: the full name, else their GitHub
    handle (the username and e-mail are private), else "A community member" (never a number)."""
    name = " ".join(p for p in (person.get("firstName"), person.get("lastName")) if p)
    return name or (f"@{person['github']}" if person.get("github") else "A community member")


def verdict(team: dict) -> dict:
    """The team's pineapple verdict for display."""
    code = team.get("pineappleVerdict") or "undecided"
    share = team.get("pineappleShareInFavour")
    return {
        "code": code,
        "label": VERDICT_LABELS.get(code, code),
        "share": None if share is None else round(share * 100),
    }


def member(person: dict, media: MediaCollector, lead_ids: set) -> dict:
    """One team member as the team, team and job pages show them."""
    name = full_name(person)
    code = person.get("country") or ""
    return {
        "id": person["id"],
        "name": name,
        "pronouns": person.get("pronouns") or "",
        "role": person.get("companyRole") or "",
        "location": person.get("location") or "",
        "flag": country_flag(code),
        "country": country_name(code) if code else "",
        "is_lead": person["id"] in lead_ids,
        "url": profile_url(person["id"]),
        "avatar": media.picture(person.get("avatar"), AVATAR_WIDTH, alt=""),
        "initials": "".join(p[:1] for p in (person.get("firstName"), person.get("lastName")) if p).upper(),
    }


def team(entry: dict, media: MediaCollector) -> dict:
    """A small team with its members, leads first."""
    lead_ids = {p["id"] for p in entry.get("leadProfiles") or ()}
    members = [member(p, media, lead_ids) for p in entry.get("profiles") or ()]
    members.sort(key=lambda m: (not m["is_lead"], m["name"].casefold(), m["id"]))
    return {
        "id": entry["id"],
        "name": entry["name"],
        "slug": entry["slug"],
        "url": team_url(entry["slug"]),
        "tagline": entry.get("tagline") or "",
        "description": editorial_html(entry.get("description")),
        "emojis": entry.get("emojis") or "",
        "crest": media.picture(entry.get("crest"), CREST_WIDTH, alt=f"{entry['name']} crest"),
        "members": members,
        "leads": [m for m in members if m["is_lead"]],
        "verdict": verdict(entry),
        "jobs": [job_summary(j) for j in entry.get("jobs") or ()],
        "roadmap": [
            {
                "title": item["title"],
                "tagline": item.get("tagline") or "",
                "complete": bool(item.get("complete")),
                "when": item.get("dateCompleted") if item.get("complete") else item.get("projectedCompletion"),
            }
            for item in entry.get("roadmaps") or ()
        ],
        "updated_at": entry.get("updatedAt"),
    }


def job_summary(entry: dict) -> dict:
    return {
        "title": entry["title"],
        "slug": entry["slug"],
        "url": job_url(entry["slug"]),
        "employment_type": EMPLOYMENT_TYPES.get(entry.get("employmentType"), ""),
        "where": where(entry.get("location") or "", bool(entry.get("remote"))),
    }


def where(location: str, remote: bool) -> str:
    """ "Berlin · Remote", "Remote", "Berlin": remote said once even when the location says it too."""
    parts = [location] if location else []
    if remote and "remote" not in location.casefold():
        parts.append("Remote")
    return " · ".join(parts)


def job(entry: dict, teams_by_slug: dict) -> dict:
    """A job listing with the teams (members, leads, verdict) the hire would work with."""
    teams = [teams_by_slug[t["slug"]] for t in entry.get("teams") or () if t.get("slug") in teams_by_slug]
    teams.sort(key=lambda t: (t["name"].casefold(), t["id"]))
    return {
        **job_summary(entry),
        "department": entry.get("department") or "",
        "description": editorial_html(entry.get("description")),
        "apply_url": entry.get("applyUrl") or "",
        "teams": teams,
        "updated_at": entry.get("updatedAt"),
    }


def profile(entry: dict, media: MediaCollector, teams_by_slug: dict | None = None) -> dict:
    """A community profile's page: biography (Markdown, sanitised), links, achievements, points, discussions;
    for a team member, their small teams and teammates (``team_sidebar``), from the teams already fetched."""
    code = entry.get("country") or ""
    links = [
        ("Website", entry.get("website")),
        ("GitHub", f"https://github.com/{entry['github']}" if entry.get("github") else ""),
        ("LinkedIn", entry.get("linkedin")),
        ("X", f"https://x.com/{entry['twitter']}" if entry.get("twitter") else ""),
    ]
    return {
        "id": entry["id"],
        "name": full_name(entry),
        "url": profile_url(entry["id"]),
        "pronouns": entry.get("pronouns") or "",
        "company": entry.get("company") or "",
        "role": entry.get("companyRole") or "",
        "location": entry.get("location") or "",
        "flag": country_flag(code),
        "country": country_name(code) if code else "",
        "biography": render_markdown(entry.get("biography") or ""),
        "links": [{"label": label, "url": url} for label, url in links if url],
        "avatar": media.picture(entry.get("avatar"), PROFILE_AVATAR_WIDTH, alt=""),
        "initials": "".join(p[:1] for p in (entry.get("firstName"), entry.get("lastName")) if p).upper(),
        "teams": [{"name": t["name"], "url": team_url(t["slug"])} for t in entry.get("teams") or ()],
        "points": entry.get("points") or 0,
        "reputation": (entry.get("reputationTier") or {}).get("name", ""),
        "achievements": [
            {
                "title": a["title"],
                "description": a.get("description") or "",
                "points": a.get("points") or 0,
                "tier": a.get("tier") or "",
                "icon": media.picture(a.get("icon"), ICON_WIDTH, alt=""),
            }
            for a in (held["achievement"] for held in entry.get("achievements") or () if not held.get("hidden"))
        ],
        "discussions": recent_discussions(entry),
        "team_sidebar": team_sidebar(entry, teams_by_slug or {}),
        "updated_at": entry.get("updatedAt"),
    }


def team_sidebar(entry: dict, teams_by_slug: dict) -> list[dict]:
    """The handbook's team-member sidebar: each published small team the member is on (started, as the
    team page lists them), with its crest and the teammates, leads first, the member left out."""
    sidebar = []
    for team in (teams_by_slug[t["slug"]] for t in entry.get("teams") or () if t.get("slug") in teams_by_slug):
        if any(m["id"] == entry["id"] for m in team["members"]):
            teammates = [m for m in team["members"] if m["id"] != entry["id"]]
            sidebar.append({**{k: team[k] for k in ("name", "slug", "url", "crest")}, "teammates": teammates})
    return sidebar


def recent_discussions(entry: dict) -> list[dict]:
    """The newest questions the member asked or replied to, each once."""
    seen, items = set(), []
    asked = [(q["createdAt"], q["subject"], q["permalink"], "Asked") for q in entry.get("questions") or ()]
    replied = [
        (r["createdAt"], r["question"]["subject"], r["question"]["permalink"], "Replied")
        for r in entry.get("replies") or ()
        if r.get("question")
    ]
    for when, subject, slug, verb in sorted(asked + replied, key=lambda x: (x[0], x[2]), reverse=True):
        if slug in seen:
            continue
        seen.add(slug)
        items.append({"subject": subject, "url": f"/questions/{slug}", "verb": verb, "date": when[:10]})
        if len(items) == RECENT_DISCUSSIONS:
            break
    return items
