"""Builds the demo community. Deterministic (seeded), so running it again adds nothing new."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from modelcluster.fields import ParentalManyToManyField
from wagtail.models import ReferenceIndex, Revision
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.signals import published

from plugins.accounts.models import Account
from plugins.accounts.roles import EDITORS
from plugins.achievements.models import Achievement, AchievementAward, AchievementGroup
from plugins.assets.collections import AVATARS, CRESTS, ICONS
from plugins.demo import catalog
from plugins.demo.images import demo_image, existing_demo_images
from plugins.forum.markdown import render_markdown
from plugins.forum.models import DocsTopicMapping, InternalTag, Question, Reply, Topic, TopicGroup
from plugins.jobs.models import JobListing
from plugins.points.models import EntryKind
from plugins.points.services import Posting, post_many
from plugins.profiles.models import Profile
from plugins.profiles.services import add_to_teams
from plugins.rewards.models import RewardProduct
from plugins.roadmap.models import RoadmapItem, TeamUpdate
from plugins.teams.models import Team

User = get_user_model()

BASE_COUNTS = {
    "teams": 8,
    "team_members": 40,
    "members": 300,
    "achievements": 20,
    "reward_products": 7,
    "jobs": 10,
    "questions": 60,
}
ROADMAP_ITEMS = (
    ("Session replay for mobile", "Session replay"),
    ("Feature flag scheduling", "Feature flags"),
    ("Experiments with holdouts", "Experiments"),
    ("Data warehouse joins", "Data warehouse"),
    ("Surveys in the toolbar", "Surveys"),
    ("Heatmaps for single-page apps", "Product analytics"),
)
# Team members who have signed but not started yet: the team page must leave them out.
FUTURE_STARTERS_PER_40 = 3


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, kind: str, created: int, existing: int) -> None:
        self.created[kind] = self.created.get(kind, 0) + created
        self.existing[kind] = self.existing.get(kind, 0) + existing


def publish(obj) -> None:
    """Save a draft-state object and publish it through Wagtail, so it has a live revision."""
    obj.save()
    obj.save_revision(log_action=False).publish(log_action=False, skip_permission_checks=True)


def publish_all(objects: list) -> None:
    """``publish`` for many new objects of one model, in a few queries for any number.

    The same end state as publishing each: the rows live, each with one revision that is its latest
    and its live one (holding a cluster's many-to-many, a job's teams), the search and reference
    indexes up to date (saving one by one queues those for the task worker), and Wagtail's
    ``published`` signal sent for each, so what listens to it (achievement backfills) still runs.
    Like ``publish``, it writes no log entries.
    """
    if not objects:
        return
    model = type(objects[0])
    now = timezone.now()
    for obj in objects:
        obj.live, obj.has_unpublished_changes, obj.expired = True, False, False
        obj.first_published_at = obj.last_published_at = now
    parental = [f.name for f in model._meta.get_fields() if isinstance(f, ParentalManyToManyField)]
    with transaction.atomic():
        model.objects.bulk_create(objects)
        for obj in objects:
            for name in parental:  # kept in memory by the cluster until committed
                getattr(obj, name).commit()
        content_type = ContentType.objects.get_for_model(model)
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=content_type,
                    base_content_type=obj.get_base_content_type(),
                    object_id=str(obj.pk),
                    content=obj.serializable_data(),
                    object_str=str(obj),
                    created_at=now,
                )
                for obj in objects
            ]
        )
        for obj, revision in zip(objects, revisions, strict=True):
            obj.latest_revision = obj.live_revision = revision
        model.objects.bulk_update(objects, ["latest_revision", "live_revision"])
        if issubclass(model, index.Indexed):
            get_search_backend().add_bulk(model, objects)
        if model in ReferenceIndex.tracked_models:
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)
        for obj, revision in zip(objects, revisions, strict=True):
            published.send(sender=model, instance=obj, revision=revision)


def scaled(counts: dict[str, int], scale: float) -> dict[str, int]:
    return {kind: max(1, round(n * scale)) for kind, n in counts.items()}


class DemoSeeder:
    """Creates what is missing of the demo community; ``progress(kind, n)`` reports work done."""

    def __init__(
        self,
        scale: float = 1,
        seed: int = 2026,
        counts: dict[str, int] | None = None,
        progress=None,
        awards_per_member: int = 0,
    ):
        self.awards_per_member = awards_per_member
        self.counts = scaled(BASE_COUNTS, scale)
        self.counts.update(counts or {})
        self.rng = random.Random(seed)
        self.fake = Faker(["en_US", "en_GB", "de_DE", "pt_BR"])
        self.fake.seed_instance(seed)
        # Names from several locales, prose in English.
        self.prose = Faker("en_US")
        self.prose.seed_instance(seed)
        self.progress = progress or (lambda kind, n: None)
        self.report = SeedReport()
        self.images = existing_demo_images()
        self.today = timezone.localdate()

    def run(self) -> SeedReport:
        teams = self.seed_teams()
        self.seed_achievements()
        self.seed_reward_products()
        self.seed_jobs(teams)
        self.seed_roadmap(teams)
        team_profiles = self.seed_team_members(teams)
        self.seed_members()
        self.seed_forum()
        if self.awards_per_member:
            self.seed_awards(team_profiles)
        self.seed_logins(team_profiles)
        return self.report

    # Teams and the catalogue -------------------------------------------------------------------

    def seed_teams(self) -> list[Team]:
        existing = {team.slug: team for team in Team.objects.all()}
        teams, fresh = [], []
        for i in range(self.counts["teams"]):
            name, tagline, emojis, description = catalog.TEAMS[i % len(catalog.TEAMS)]
            if i >= len(catalog.TEAMS):
                name = f"{name} {i // len(catalog.TEAMS) + 1}"
            slug = slugify(name)
            team = existing.get(slug)
            if team is None:
                initials = "".join(word[0] for word in name.split()[:2]).upper()
                team = Team(
                    name=name,
                    slug=slug,
                    tagline=tagline,
                    emojis=emojis,
                    description=f"<p>{description}</p>",
                    display_order=i,
                    crest=demo_image(f"crest:{slug}", f"{name} crest", initials, "shield", self.images, CRESTS),
                    mini_crest=demo_image(
                        f"mini-crest:{slug}", f"{name} mini crest", initials, "circle", self.images, CRESTS
                    ),
                    team_image=demo_image(f"team-image:{slug}", f"The {name} team", name[:12], "rounded", self.images),
                    team_image_caption=f"The {name} team at the last offsite",
                )
                fresh.append(team)
            teams.append(team)
            self.progress("teams", 1)
        publish_all(fresh)
        self.report.count("teams", len(fresh), len(teams) - len(fresh))
        return teams

    def seed_achievements(self) -> None:
        wanted = self.counts["achievements"]
        specs = [(group, spec) for group in catalog.ACHIEVEMENT_GROUPS for spec in group[2]]
        existing = set(Achievement.objects.values_list("slug", flat=True))
        groups = {group.slug: group for group in AchievementGroup.objects.all()}
        fresh = []
        for i in range(wanted):
            (group_name, tiered, _), (title, points, tier, trigger, threshold, repeatable) = specs[i % len(specs)]
            description = catalog.ACHIEVEMENT_DESCRIPTIONS[title]
            if i >= len(specs):
                title = f"{title} {i // len(specs) + 1}"
            slug = slugify(title)
            if slug in existing:
                self.progress("achievements", 1)
                continue
            group = groups.get(slugify(group_name))
            if group is None:
                group = AchievementGroup.objects.create(name=group_name, slug=slugify(group_name), tiered=tiered)
                groups[group.slug] = group
            achievement = Achievement(
                title=title,
                slug=slug,
                description=description,
                points=points,
                group=group,
                tier=tier,
                trigger=trigger,
                threshold=threshold,
                repeatable=repeatable,
                icon=demo_image(f"achievement:{slug}", title, title[:2].upper(), "circle", self.images, ICONS),
            )
            fresh.append(achievement)
            self.progress("achievements", 1)
        publish_all(fresh)
        self.report.count("achievements", len(fresh), wanted - len(fresh))

    def seed_reward_products(self) -> None:
        wanted = self.counts["reward_products"]
        existing = set(RewardProduct.objects.values_list("handle", flat=True))
        fresh = []
        for i in range(wanted):
            title, kind, price, discount, stock, description = catalog.REWARD_PRODUCTS[i % len(catalog.REWARD_PRODUCTS)]
            if i >= len(catalog.REWARD_PRODUCTS):
                title = f"{title} ({i // len(catalog.REWARD_PRODUCTS) + 1})"
            handle = slugify(title)
            if handle not in existing:
                product = RewardProduct(
                    title=title,
                    handle=handle,
                    kind=kind,
                    price=price,
                    discount_amount=discount,
                    stock=stock,
                    description=description,
                    image=demo_image(
                        f"reward:{handle}", title, "🎁" if kind == "product" else "$", "rounded", self.images
                    ),
                )
                fresh.append(product)
            self.progress("reward_products", 1)
        publish_all(fresh)
        self.report.count("reward_products", len(fresh), wanted - len(fresh))

    def seed_jobs(self, teams: list[Team]) -> None:
        wanted = self.counts["jobs"]
        existing = set(JobListing.objects.values_list("slug", flat=True))
        fresh = []
        for i in range(wanted):
            title, department, location, remote, employment_type = catalog.JOB_TITLES[i % len(catalog.JOB_TITLES)]
            team = teams[i % len(teams)]
            title = f"{title}, {team.name}"
            slug = slugify(title)
            if slug not in existing:
                job = JobListing(
                    title=title,
                    slug=slug,
                    department=department,
                    location=location,
                    remote=remote,
                    employment_type=employment_type,
                    description=(
                        f"<p>Join {team.name}: {team.tagline.lower()}.</p>"
                        "<p>You will ship to production in your first week and talk to users every day.</p>"
                    ),
                    apply_url=f"https://jobs.example.com/apply/{slug}",
                )
                job.teams.set([team])
                fresh.append(job)
            self.progress("jobs", 1)
        publish_all(fresh)
        self.report.count("jobs", len(fresh), wanted - len(fresh))

    def seed_roadmap(self, teams: list[Team]) -> None:
        """The public roadmap: a few items per team, some shipped, some in beta (not scaled: it is a page)."""
        existing = set(RoadmapItem.objects.values_list("slug", flat=True))
        fresh, updates = [], []
        for i, (title, category) in enumerate(ROADMAP_ITEMS):
            slug = slugify(title)
            if slug in existing:
                continue
            shipped = i % 3 == 0
            item = RoadmapItem(
                title=title,
                slug=slug,
                tagline=f"{category}, from the {teams[i % len(teams)].name} team",
                description=f"What {title.lower()} brings, and how to try it.",
                category=category,
                complete=shipped,
                beta_available=i % 3 == 1,
                date_completed=self.today - timedelta(days=30 * (i + 1)) if shipped else None,
                projected_completion=None if shipped else self.today + timedelta(days=45 * (i + 1)),
                cta_label="Read the docs" if shipped else "",
                cta_url=f"https://example.com/docs/{slug}" if shipped else "",
            )
            item.teams.set([teams[i % len(teams)]])
            fresh.append(item)
            if shipped:  # the team's weekly update says so
                updates.append(
                    TeamUpdate(
                        team=teams[i % len(teams)],
                        roadmap=item,
                        description=f"Shipped: {title}.",
                        thing_of_the_week=i == 0,
                    )
                )
        with transaction.atomic():
            publish_all(fresh)
            for update in updates:  # each item has its key now
                update.save()
        self.report.count("roadmap_items", len(fresh), len(ROADMAP_ITEMS) - len(fresh))

    # People -----------------------------------------------------------------------------------

    def _person(self, i: int, kind: str) -> dict:
        first, last = self.fake.first_name(), self.fake.last_name()
        handle = slugify(f"{first}{last}")[:40] or "member"
        return {
            "username": f"{handle}-{kind[0]}{i}",
            "email": f"{handle}.{kind[0]}{i}@{'team' if kind == 'team' else 'community'}.example",
            "first_name": first,
            "last_name": last,
        }

    def _create_people(self, kind: str, people: list[dict]) -> list[Profile]:
        """Create the accounts and profiles in ``people`` that do not exist yet; return all profiles.

        In bulk: the users, their ``Account`` rows (which saving a user one by one makes) and the
        profiles, a few inserts for any number. Avatars come from a shared pool, one drawn image per
        pair of initials (a few hundred at most), so every profile has one without drawing thousands.
        """
        by_email = {p.email: p for p in Profile.objects.filter(email__in=[p["email"] for p in people])}
        missing = [p for p in people if p["email"] not in by_email]
        if missing:
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [
                        User(
                            username=p["username"],
                            email=p["email"],
                            first_name=p["first_name"],
                            last_name=p["last_name"],
                            password=make_password(None),  # unusable: members reset it to sign in
                        )
                        for p in missing
                    ],
                    batch_size=2000,
                )
                Account.objects.bulk_create([Account(user=user) for user in users], batch_size=2000)
                profiles = []
                for user, person in zip(users, missing, strict=True):
                    avatar = person.pop("avatar_text", None)
                    fields = {k: v for k, v in person.items() if k not in ("username", "teams", "lead")}
                    if avatar:
                        fields["avatar"] = demo_image(
                            f"avatar:{avatar}", "Avatar", avatar, "circle", self.images, AVATARS
                        )
                    profiles.append(Profile(user=user, **fields))
                    self.progress(kind, 1)
                for profile in Profile.objects.bulk_create(profiles, batch_size=2000):
                    by_email[profile.email] = profile
        self.progress(kind, len(people) - len(missing))
        self.report.count(kind, len(missing), len(people) - len(missing))
        return [by_email[p["email"]] for p in people]

    def seed_team_members(self, teams: list[Team]) -> list[Profile]:
        n = self.counts["team_members"]
        future = max(1, round(n * FUTURE_STARTERS_PER_40 / 40))
        people = []
        for i in range(n):
            person = self._person(i, "team")
            location, country = self.rng.choice(catalog.LOCATIONS)
            if i >= n - future:
                start = self.today + timedelta(days=self.rng.randint(14, 60))
            else:
                start = date(2019, 1, 1) + timedelta(days=self.rng.randint(0, (self.today - date(2019, 3, 1)).days))
            person.update(
                pronouns=self.rng.choice(catalog.PRONOUNS),
                biography=self._biography(person["first_name"]),
                company="PostHog-like, Inc.",
                company_role=self.rng.choice(catalog.COMPANY_ROLES),
                start_date=start,
                location=location,
                country=country,
                github=slugify(person["first_name"] + person["last_name"])[:30],
                website=f"https://{slugify(person['last_name'])}.dev",
                pineapple_on_pizza=self.rng.choice([True, False, None]),
                color=f"{self.rng.randrange(0x1000000):06x}",
                avatar_text=(person["first_name"][:1] + person["last_name"][:1]).upper(),
            )
            people.append(person)
        profiles = self._create_people("team_members", people)
        add_to_teams(
            members=[(profile, teams[i % len(teams)]) for i, profile in enumerate(profiles)],
            # The first member of each team leads it.
            leads=[(profile, teams[i]) for i, profile in enumerate(profiles[: len(teams)])],
        )
        return profiles

    def seed_members(self) -> None:
        people = []
        for i in range(self.counts["members"]):
            person = self._person(i, "member")
            person.update(
                biography=self._biography(person["first_name"]) if self.rng.random() < 0.6 else "",
                company=self.prose.company() if self.rng.random() < 0.7 else "",
                github=slugify(person["first_name"] + person["last_name"])[:30] if self.rng.random() < 0.5 else "",
                website=f"https://{slugify(person['last_name'])}.example.org" if self.rng.random() < 0.3 else "",
                avatar_text=(person["first_name"][:1] + person["last_name"][:1]).upper()
                if self.rng.random() < 0.7
                else None,
            )
            people.append(person)
        self._create_people("members", people)

    def seed_forum(self) -> None:
        """Topics in groups, the docs mapping, internal tags, and questions with replies and some solutions."""
        topics = []
        for order, (group_label, entries) in enumerate(catalog.FORUM_TOPICS):
            group, _ = TopicGroup.objects.get_or_create(slug=slugify(group_label), defaults={"label": group_label})
            TopicGroup.objects.filter(pk=group.pk).update(sort_order=order)
            for label, prefix in entries:
                topic, _ = Topic.objects.get_or_create(slug=slugify(label), defaults={"label": label, "group": group})
                if prefix:
                    DocsTopicMapping.objects.get_or_create(path_prefix=prefix, defaults={"topic": topic})
                topics.append((topic, prefix))
        for name in catalog.INTERNAL_TAGS:
            InternalTag.objects.get_or_create(name=name)
        wanted = self.counts["questions"]
        existing = Question.objects.filter(slug__startswith="demo-").count()
        members = list(Profile.objects.filter(user__isnull=False).order_by("pk")[:200])
        # Drawn first, written in bulk: the questions, then their replies, then the solutions and counts.
        threads = []
        for i in range(existing, wanted):
            topic, prefix = topics[i % len(topics)]
            thing = self.rng.choice(catalog.QUESTION_THINGS)
            subject = self.rng.choice(catalog.QUESTION_STARTS).format(thing=thing)
            subject = subject[0].upper() + subject[1:]
            author = self.rng.choice(members)
            body = (
                f"I'm using **{thing}** and {self.prose.sentence().lower()}\n\n"
                f"```\n{self.rng.choice(['npm i posthog-js', 'pip install posthog', 'helm upgrade'])}\n```"
            )
            question = Question(author=author, subject=subject, body=body, slug=f"demo-{i + 1}")
            question.page = f"{prefix}/overview" if prefix and i % 3 == 0 else ""
            replies = [
                Reply(author=self.rng.choice(members), body=self.prose.paragraph())
                for _ in range(self.rng.randint(0, 4))
            ]
            solved = bool(replies) and self.rng.random() < 0.4
            threads.append((question, topic, replies, solved))
        with transaction.atomic():
            created = self._write_threads(threads)
        self.progress("questions", wanted)
        self.report.count("questions", created, min(existing, wanted))

    def _write_threads(self, threads: list) -> int:
        """Questions with their topics and replies, in a few inserts: what ``save()`` one by one gives
        (the HTML rendered from the Markdown, the reply count, the last activity, the solution), and in
        the search index at once (saving one by one only queues that for the task worker)."""
        if not threads:
            return 0
        questions = [question for question, _, _, _ in threads]
        for question in questions:
            question.body_html = render_markdown(question.body)
        Question.objects.bulk_create(questions, batch_size=1000)
        Question.topics.through.objects.bulk_create(
            [Question.topics.through(question_id=q.pk, topic_id=topic.pk) for q, topic, _, _ in threads]
        )
        replies = []
        for question, _, thread, _ in threads:
            for reply in thread:
                reply.question = question
                reply.body_html = render_markdown(reply.body)
                replies.append(reply)
        Reply.objects.bulk_create(replies, batch_size=1000)
        answered = []
        for question, _, thread, solved in threads:
            if thread:
                question.num_replies = len(thread)
                question.last_activity_at = thread[-1].created_at
                question.solution = thread[0] if solved else None
                answered.append(question)
        Question.objects.bulk_update(answered, ["num_replies", "last_activity_at", "solution"], batch_size=1000)
        backend = get_search_backend()
        backend.add_bulk(Question, list(Question.get_indexed_objects().filter(pk__in=[q.pk for q in questions])))
        backend.add_bulk(Reply, list(Reply.get_indexed_objects().filter(pk__in=[r.pk for r in replies])))
        return len(questions)

    def _biography(self, first_name: str) -> str:
        topic = self.rng.choice(["data pipelines", "feature flags", "TypeScript", "Rust", "Postgres", "analytics"])
        return (
            f"Hi, I'm {first_name}. I work on **{topic}** and write about it now and then.\n\n"
            f"- Favourite tool: `{self.rng.choice(['psql', 'vim', 'jq', 'htop', 'git bisect'])}`\n"
            f"- Ask me about: {self.prose.catch_phrase().lower()}"
        )

    def seed_awards(self, profiles: list[Profile]) -> None:
        """Give each team member ``awards_per_member`` distinct achievements, with their points.

        In bulk, for benchmark-sized data: the awards, then one ledger credit each (``post_many``).
        """
        achievements = list(Achievement.objects.filter(live=True).order_by("pk").values_list("pk", flat=True))
        wanted = min(self.awards_per_member, len(achievements))
        already = set(AchievementAward.objects.values_list("profile_id", flat=True).distinct())
        rows = []
        for profile in profiles:
            picks = self.rng.sample(achievements, wanted)
            if profile.pk in already:
                continue
            reason = "Given with the demo data"
            rows += [AchievementAward(profile_id=profile.pk, achievement_id=pk, reason=reason) for pk in picks]
        with transaction.atomic():
            created = AchievementAward.objects.bulk_create(rows, batch_size=2000)
            points = dict(Achievement.objects.values_list("pk", "points"))
            titles = dict(Achievement.objects.values_list("pk", "title"))
            by_pk = {p.pk: p for p in profiles}
            post_many(
                [
                    (
                        by_pk[award.profile_id],
                        Posting(
                            amount=points[award.achievement_id],
                            kind=EntryKind.ACHIEVEMENT,
                            reason=f"Achievement: {titles[award.achievement_id]}",
                            idempotency_key=f"award:{award.pk}",
                            related=f"achievements.achievementaward:{award.pk}",
                        ),
                    )
                    for award in created
                ]
            )
        self.report.count("awards", len(rows), 0)

    # Logins -------------------------------------------------------------------------------------

    def seed_logins(self, team_profiles: list[Profile]) -> None:
        """Local logins for trying the admin; the passwords are new on every run, and printed."""
        admin, _ = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@localhost", "is_staff": True, "is_superuser": True}
        )
        editor, _ = User.objects.get_or_create(
            username="editor", defaults={"email": "editor@localhost", "first_name": "Eddie", "last_name": "Editor"}
        )
        editor.groups.add(Group.objects.get(name=EDITORS))
        started = [p for p in team_profiles if p.start_date and p.start_date <= self.today]
        moderator = started[0].user if started else None
        for user, role in ((admin, "superuser"), (editor, "editor"), (moderator, "moderator (team member)")):
            if user is None:
                continue
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            self.report.logins.append((role, user.username, password))
