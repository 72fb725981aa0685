"""Start-up checks of the backends a deployment configures: the database's schema, the cache, the task
queue and the media storage.

A misconfiguration refuses to start, with a message that says what to run or to set: a migration not
applied (the database cache's table among them), a malformed Redis URL, a bucket that does not exist or
refuses our credentials. A backend that is merely unreachable at the moment is a warning: an outage
while running is handled where it happens (the API answers 503, the shared cache falls back to the
database, events wait in the outbox), so it is no reason to stay down.

Registered as deployment checks tagged ``backends``: ``manage.py check --deploy`` lists them with
Django's own, ``migrate`` (whose checks would otherwise ask for the migrations it is about to apply) does
not run them, and the WSGI and ASGI entry points run them before serving (``verify_backends``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

TAG = "backends"
# Seconds a probe of a remote backend may take at start-up.
PROBE_TIMEOUT = 3


def _database_unreachable(alias: str, error: Exception) -> checks.Warning:
    return checks.Warning(
        f"The database {alias!r} could not be reached to check its schema ({type(error).__name__}: {error}).",
        hint="The site starts and answers 503 until it is reachable; check DATABASE_URL if this persists.",
        id="core.W001",
    )


@checks.register(TAG, deploy=True)
def check_migrations(app_configs=None, databases=None, **kwargs):
    """Every migration is applied: a missing table (the database cache's included) is a 500 on every request."""
    from django.db import DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    for alias in databases or ["default"]:
        try:
            executor = MigrationExecutor(connections[alias])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            problems.append(_database_unreachable(alias, error))
            continue
        if plan:
            names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan[:5])
            more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
            problems.append(
                checks.Error(
                    f"The database {alias!r} lacks {len(plan)} migrations: {names}{more}.",
                    hint="Run `python manage.py migrate` with this deployment's DATABASE_URL, then start again.",
                    id="core.E001",
                )
            )
    return problems


@checks.register(TAG, deploy=True)
def check_caches(app_configs=None, **kwargs):
    """The database cache's table exists; a Redis cache's URL can be read (and Redis answers, else a warning)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache
    from django.db import DatabaseError, connections, router

    problems = []
    for alias, config in settings.CACHES.items():
        backend = config["BACKEND"]
        if backend.endswith("db.DatabaseCache"):
            table = config["LOCATION"]
            database = router.db_for_read(BaseDatabaseCache(table, {}).cache_model_class)
            try:
                exists = table in connections[database].introspection.table_names()
            except DatabaseError as error:
                problems.append(_database_unreachable(database, error))
                continue
            if not exists:
                problems.append(
                    checks.Error(
                        f"The cache {alias!r} is the database's table {table!r}, which does not exist.",
                        hint="Run `python manage.py migrate` (it makes the table whatever CACHE_URL is).",
                        id="core.E002",
                    )
                )
        elif backend.endswith("RedisCache"):
            problems += _check_redis(f"The cache {alias!r}", "CACHE_URL", config["LOCATION"], caches[alias])
    return problems


@checks.register(TAG, deploy=True)
def check_task_queue(app_configs=None, **kwargs):
    """With the Redis task backend, its queue's URL can be read (and Redis answers, else a warning)."""
    from django_tasks import task_backends
    from django_tasks_rq.backend import RQBackend

    if not isinstance(task_backends["default"], RQBackend):  # the outbox's wrapper of it too
        return []
    problems = []
    for name, queue in settings.RQ_QUEUES.items():
        problems += _check_redis(f"The task queue {name!r}", "TASKS_REDIS_URL", queue.get("URL", ""), None)
    return problems


def _check_redis(what: str, variable: str, location, cache) -> list:
    import redis

    problems = []
    urls = location if isinstance(location, list | tuple) else str(location).split(",")
    for url in urls:
        try:
            pool = redis.ConnectionPool.from_url(
                url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
            )
        except ValueError as error:
            problems.append(
                checks.Error(
                    f"{what} has a malformed Redis URL ({error}).",
                    hint=f"Set {variable} to redis://host:6379/0 (rediss:// for TLS, unix:///path for a socket).",
                    id="core.E003",
                )
            )
            continue
        try:
            redis.Redis(connection_pool=pool).ping()
        except redis.AuthenticationError as error:
            problems.append(
                checks.Error(
                    f"{what}'s Redis refuses our credentials ({error}).",
                    hint=f"Put the right user and password in {variable} (redis://user:password@host:6379/0).",
                    id="core.E004",
                )
            )
        except redis.RedisError as error:
            problems.append(
                checks.Warning(
                    f"{what}'s Redis does not answer now ({type(error).__name__}: {error}).",
                    hint="The site starts and works without it (the cache falls back to the database, events wait "
                    "in the outbox) and uses it again once it answers.",
                    id="core.W002",
                )
            )
        finally:
            pool.disconnect()
    return problems


@checks.register(TAG, deploy=True)
def check_storage(app_configs=None, **kwargs):
    """With S3 for media, the bucket exists and our credentials may use it."""
    if not settings.STORAGES["default"]["BACKEND"].startswith("storages.backends.s3"):
        return []
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError
    from django.core.files.storage import storages

    storage = storages["default"]
    bucket = storage.bucket_name
    try:
        # The storage's own session and settings, with a start-up's patience (botocore waits a minute, and retries).
        client = storage._create_session().client(
            "s3",
            region_name=storage.region_name,
            use_ssl=storage.use_ssl,
            endpoint_url=storage.endpoint_url,
            config=storage.client_config.merge(
                Config(connect_timeout=PROBE_TIMEOUT, read_timeout=PROBE_TIMEOUT, retries={"max_attempts": 1})
            ),
            verify=storage.verify,
        )
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in {"404", "NoSuchBucket"}:
            message, hint = f"The media bucket {bucket!r} does not exist", "Create it, or set AWS_STORAGE_BUCKET_NAME."
        elif code in {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"}:
            message = f"The media bucket {bucket!r} refuses our credentials ({code})"
            hint = "Check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy."
        else:
            return [_storage_unreachable(bucket, error)]
        return [checks.Error(f"{message}.", hint=hint, id="core.E005")]
    except (BotoCoreError, OSError) as error:
        return [_storage_unreachable(bucket, error)]
    return []


def _storage_unreachable(bucket: str, error: Exception) -> checks.Warning:
    return checks.Warning(
        f"The media bucket {bucket!r} could not be checked now ({type(error).__name__}: {error}).",
        hint="Uploads fail until the storage answers; check AWS_S3_ENDPOINT_URL if this persists.",
        id="core.W003",
    )


def verify_backends() -> None:
    """Run the ``backends`` checks before serving: log the warnings, refuse to start on an error.

    Called by ``cms/wsgi.py`` and ``cms/asgi.py``; raises ``ImproperlyConfigured`` naming each problem and
    what to do, which gunicorn prints before it stops ("Worker failed to boot"). With ``DEBUG`` (runserver)
    the errors are logged only.
    """
    found = [
        problem
        for problem in checks.run_checks(tags=[TAG], include_deployment_checks=True)
        if not problem.is_silenced()
    ]
    for problem in found:
        if not problem.is_serious():
            logger.warning("%s", problem)
    errors = [problem for problem in found if problem.is_serious()]
    if errors and settings.DEBUG:  # runserver loads this too: a developer is told, as Django tells of migrations
        for problem in errors:
            logger.error("%s", problem)
        return
    if errors:
        lines = "\n".join(f"- {problem.msg} {problem.hint or ''} [{problem.id}]" for problem in errors)
        raise ImproperlyConfigured(f"The CMS cannot start with this configuration:\n{lines}")
