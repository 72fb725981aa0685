import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Per-process caches must not carry rows of one test (whose ids the next reuses) into another."""
    from django.core.cache import cache, caches

    from api.query.kept import forget as forget_kept_queries
    from api.query.selection import forget_parsed
    from cms.cache_config import SHARED_CACHE
    from plugins.core.outbox import forget as forget_queue_outage
    from plugins.core.ttl_cache import forget_all

    forget_all()
    forget_queue_outage()
    cache.clear()
    caches[SHARED_CACHE].clear()  # rate-limit counters
    # Compiled queries and parsed selections hold no rows, but a test's counts must not depend on the order.
    forget_kept_queries()
    forget_parsed()
    yield
    forget_all()


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def editor_user(db):
    return factories.editor()


@pytest.fixture
def moderator_user(db):
    return factories.moderator()


@pytest.fixture
def migrated_data(transactional_db):
    """The rows data migrations create, for transactional tests that run after a flush emptied them.

    Calls the migrations' own functions, so the tests see what ``migrate`` makes.
    """
    import importlib

    from django.apps import apps
    from wagtail.models import Collection

    from api.permissions import ensure_default_permissions

    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    for module in (
        "0001_editors_and_moderators",
        "0002_roadmap_permissions",
        "0003_forum",
        "0004_webhooks",
        "0005_build_site_now",
        "0007_team_update_permissions",
    ):
        migration = importlib.import_module(f"plugins.accounts.migrations.{module}")
        (migration.create_groups if hasattr(migration, "create_groups") else migration.grant)(apps, None)
    ensure_default_permissions()
