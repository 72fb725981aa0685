"""Media on S3 through django-storages, against moto's S3 server on 127.0.0.1 (real HTTP)."""

import socket

import boto3
import pytest
import requests
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Collection

from cms.storage_config import storages_from_env
from plugins.assets.models import CommunityImage
from tests.factories import ProfileFactory, png_bytes

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

BUCKET = "community-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint):
    environ = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        # Avatars are linked from the public site, so objects are written world-readable.
        "AWS_DEFAULT_ACL": "public-read",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    with override_settings(STORAGES=storages_from_env(environ)):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_avatar_uploaded_in_the_admin_lands_in_the_bucket_and_its_url_resolves(client, editor_user, s3_storage):
    assert type(storages["default"]).__name__ == "S3Storage"
    client.force_login(editor_user)
    avatar = png_bytes(size=(128, 128))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ada's avatar",
            "file": SimpleUploadedFile("ada.png", avatar, content_type="image/png"),
            # With the Icons, Crests and Avatars collections an editor chooses where an upload goes.
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    image = CommunityImage.objects.get(title="Ada's avatar")

    profile = ProfileFactory(first_name="Ada")
    response = client.post(
        reverse("wagtailsnippets_profiles_profile:edit", args=[profile.pk]), {"first_name": "Ada", "avatar": image.pk}
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.avatar == image

    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert image.file.name in keys
    stored = s3_storage.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert stored == avatar

    url = profile.avatar.file.url
    assert url.startswith("http://127.0.0.1:")
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == avatar

    # A rendition (what the API and the site build serve) is written to the bucket as well.
    rendition = image.get_rendition("fill-64x64")
    assert requests.get(rendition.url, timeout=10).status_code == 200


def test_the_start_up_check_refuses_a_bucket_that_does_not_exist_and_passes_one_that_does(s3_storage, s3_endpoint):
    from plugins.core.checks import check_storage

    assert check_storage() == []  # the fixture's bucket exists
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "no-such-bucket",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    with override_settings(STORAGES=storages_from_env(environ)):
        [problem] = check_storage()
    assert problem.id == "core.E005" and "no-such-bucket" in problem.msg and "does not exist" in problem.msg


def test_an_unreachable_storage_only_warns():
    from plugins.core.checks import check_storage

    environ = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    with override_settings(STORAGES=storages_from_env(environ)):
        [problem] = check_storage()
    assert problem.id == "core.W003"
