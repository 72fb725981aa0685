"""Media storage selection: the local filesystem by default, S3 when a bucket is configured."""

from __future__ import annotations

import os
from collections.abc import Mapping

from cms.env import env_bool, env_str

STATICFILES_STORAGE = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def storages_from_env(environ: Mapping[str, str] | None = None) -> dict:
    """Build Django's ``STORAGES`` setting from environment variables.

    With ``AWS_STORAGE_BUCKET_NAME`` set, uploads go to S3 through django-storages;
    ``AWS_S3_ENDPOINT_URL`` points it at any S3-compatible server (MinIO, moto, R2 …).
    """
    environ = os.environ if environ is None else environ
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", environ=environ)
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": STATICFILES_STORAGE,
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", environ=environ) or None,
        "region_name": env_str("AWS_S3_REGION_NAME", environ=environ) or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID", environ=environ) or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", environ=environ) or None,
        "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", environ=environ) or None,
        "location": env_str("AWS_LOCATION", environ=environ),
        # Public media (avatars, crests) are linked from a static site, so URLs are unsigned
        # unless the operator asks for signed ones.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False, environ=environ),
        "default_acl": env_str("AWS_DEFAULT_ACL", environ=environ) or None,
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {key: value for key, value in options.items() if value is not None},
        },
        "staticfiles": STATICFILES_STORAGE,
    }
