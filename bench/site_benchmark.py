"""Static site build benchmark: the whole site over HTTP, then a one-profile change with --changed-since.

    python bench/site_benchmark.py [--runs 2]

Sets up (migrate, and seed_demo with 10,000 profiles — 800 team members on 100 teams and 9,200
community members, 50 job listings, 50 achievements with five awards per team member, 2,000 forum
questions — once) a PostgreSQL database named by SITE_BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/cms_site_bench), serves it with gunicorn (2 workers) on 127.0.0.1,
and serves the media folder from a separate static server on loopback, as a CDN or S3 would (the
API's media URLs point there). Then times ``manage.py build_site --api-url … --token …`` (a
read-only token) from a second process: a cold build (empty media cache), warm builds, and a
``--changed-since`` rebuild after one profile is edited; checks that two builds are byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from common import PYTHON, ROOT, ensure_database, environment, free_port, gunicorn, manage, wait_until_up

WORK = Path(os.environ.get("SITE_BENCH_DIR", "/tmp/cms-site-bench"))
SEED = [
    "--teams=100",
    "--team-members=800",
    "--members=9200",
    "--achievements=50",
    "--reward-products=6",
    "--jobs=50",
    "--questions=2000",
    "--awards=5",
]
TARGETS_S = {"whole": 60.0, "changed": 5.0}


def facts(env: dict) -> dict:
    code = (
        "import json; from plugins.profiles.models import Profile; from plugins.teams.models import Team; "
        "from plugins.jobs.models import JobListing; from plugins.forum.models import Question, Reply; "
        "from plugins.assets.models import CommunityImage; "
        "print(json.dumps({'profiles': Profile.objects.count(), "
        "'team_members': Profile.objects.team_members().count(), "
        "'teams': Team.objects.count(), 'jobs': JobListing.objects.count(), 'questions': Question.objects.count(), "
        "'replies': Reply.objects.count(), 'images': CommunityImage.objects.count()}))"
    )
    return json.loads(manage(env, "shell", "-v0", "-c", code, capture=True).strip().splitlines()[-1])


def digest(folder: Path) -> str:
    """One hash of every file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def timed_build(env: dict, api: str, token: str, out: Path, *extra: str) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", "build_site", "--out", str(out), "--api-url", api, "--token", token, *extra],
        cwd=ROOT, env=env, check=True, text=True, capture_output=True,
    )  # fmt: skip
    return time.monotonic() - started, result.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="Warm whole builds and one-profile rebuilds to time.")
    args = parser.parse_args()

    env = environment(os.environ.get("SITE_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_site_bench"))
    env["MEDIA_ROOT"] = str(WORK / "media")
    media_port = free_port()
    env["MEDIA_URL"] = f"http://127.0.0.1:{media_port}/media/"
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    data = facts(env)
    if data["profiles"] < 10_000:
        print("Seeding the benchmark data set (once, a few minutes)…", flush=True)
        manage(env, "seed_demo", "--allow-production", *SEED)
        manage(env, "shell", "-v0", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
        data = facts(env)
    print(
        f"Data: {data['profiles']} profiles ({data['team_members']} started team members), {data['teams']} teams, "
        f"{data['jobs']} job listings, {data['questions']} questions, {data['replies']} replies, {data['images']} "
        "images; PostgreSQL; gunicorn with 2 workers; media from a static server; builder in its own process."
    )

    token = manage(env, "create_api_token", f"site-bench-{time.time_ns()}", capture=True).strip().splitlines()[-1]
    media = subprocess.Popen(
        [PYTHON, "-m", "http.server", str(media_port), "--bind", "127.0.0.1", "--directory", str(WORK)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    out, cache = WORK / "site", WORK / ".site-cache"
    results = {}
    try:
        wait_until_up(f"http://127.0.0.1:{media_port}/")
        with gunicorn(env, "/api/teams?pagination[pageSize]=1") as base:
            api = f"{base}/api"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            seconds, line = timed_build(env, api, token, out)
            results["whole (cold media cache)"] = seconds
            print(f"whole site, cold media cache: {seconds:.1f} s — {line}", flush=True)
            first = digest(out)
            warm = []
            for _ in range(args.runs):
                seconds, line = timed_build(env, api, token, out)
                warm.append(seconds)
                print(f"whole site, warm media cache: {seconds:.1f} s — {line}", flush=True)
            identical = digest(out) == first
            changed = []
            for run in range(args.runs):
                before_edit = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
                time.sleep(1)
                manage(env, "shell", "-v0", "-c",
                       "from plugins.profiles.models import Profile; p = Profile.objects.order_by('-pk').first(); "
                       f"p.company = 'Bench run {run} {time.time_ns()}'; p.save()")  # fmt: skip
                seconds, line = timed_build(env, api, token, out, "--changed-since", before_edit)
                changed.append(seconds)
                print(f"one profile changed, --changed-since: {seconds:.1f} s — {line}", flush=True)
    finally:
        media.terminate()
    pages = sum(1 for p in out.rglob("index.html"))
    print()
    print(f"Pages: {pages}; two whole builds of the same content byte-identical: {'yes' if identical else 'NO'}")
    whole = max(results["whole (cold media cache)"], *warm)
    print(f"Whole site over HTTP: {whole:.1f} s at worst (target < {TARGETS_S['whole']:.0f} s)")
    worst = max(changed)
    print(f"One-profile change with --changed-since: {worst:.1f} s at worst (target < {TARGETS_S['changed']:.0f} s)")
    ok = identical and whole < TARGETS_S["whole"] and max(changed) < TARGETS_S["changed"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
