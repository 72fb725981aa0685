"""factory_boy factories for every content type."""

from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image

from plugins.accounts.roles import EDITORS, MODERATORS
from plugins.achievements.models import Achievement, AchievementGroup
from plugins.assets.models import CommunityImage
from plugins.forum.models import Question, Reply, Topic
from plugins.jobs.models import JobListing
from plugins.profiles.models import Profile
from plugins.rewards.models import RewardProduct
from plugins.roadmap.models import RoadmapItem
from plugins.teams.models import Team

PASSWORD = "correct horse battery staple"


def png_bytes(size=(64, 64), colour=(200, 40, 90, 255), mode="RGBA") -> bytes:
    out = BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])

    @factory.post_generation
    def persist_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


def editor(**kwargs):
    return UserFactory(groups=[EDITORS], **kwargs)


def moderator(**kwargs):
    return UserFactory(groups=[MODERATORS], **kwargs)


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityImage

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(lambda: ImageFile(BytesIO(png_bytes()), name="test.png"))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    tagline = "We ship things"
    live = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Member"
    email = factory.Sequence(lambda n: f"member{n}@example.com")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*extracted)


class AchievementGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AchievementGroup

    name = factory.Sequence(lambda n: f"Group {n}")


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    title = factory.Sequence(lambda n: f"Achievement {n}")
    points = 10
    live = True


class RewardProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardProduct

    title = factory.Sequence(lambda n: f"Reward {n}")
    price = 100
    live = True


class JobListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobListing
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Job {n}")
    description = "<p>Do things.</p>"
    apply_url = "https://jobs.example.com/apply"
    live = True

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create:
            self.teams.set(extracted or [TeamFactory()])
            self.save()


class RoadmapItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Roadmap item {n}")
    live = True

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)
            self.save()


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    label = factory.Sequence(lambda n: f"Topic {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    subject = factory.Sequence(lambda n: f"Question {n}")
    slug = factory.Sequence(lambda n: f"question-{n}")
    body = "How do I do this?"
    author = factory.SubFactory(ProfileFactory)
    last_activity_at = factory.LazyFunction(timezone.now)


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(ProfileFactory)
    body = "Like this."
