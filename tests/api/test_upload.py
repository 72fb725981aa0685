"""Strapi's upload endpoints, backed by Wagtail images: limits, EXIF stripping, all-or-nothing."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plugins.assets.models import CommunityImage
from tests import factories
from tests.api.helpers import bearer
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (300, 200), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "secret-software"  # Software
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, user, *files, info=None):
    data = {"files": list(files)}
    if info is not None:
        data["fileInfo"] = json.dumps(info)
    return client.post("/api/upload", data=data, **(bearer(user) if user else {}))


@pytest.fixture
def member(db):
    return factories.UserFactory()


def test_a_member_uploads_an_image_and_gets_strapi_file_objects(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            member,
            SimpleUploadedFile("diagram.png", png_bytes((800, 600))),
            info={"alternativeText": "A diagram", "caption": "Fig. 1"},
        )
    assert response.status_code == 201, response.content
    [file] = response.json()
    assert file["mime"] == "image/png" and file["ext"] == ".png" and file["width"] == 800
    assert file["alternativeText"] == "A diagram" and file["caption"] == "Fig. 1"
    assert set(file["formats"]) == {"thumbnail", "small", "medium"}  # not large: the image is smaller
    assert file["formats"]["small"]["width"] == 500
    image = CommunityImage.objects.get(pk=file["id"])
    assert image.uploaded_by_user == member
    assert client.get(f"/api/upload/files/{file['id']}").json()["documentId"] == image.document_id
    assert [f["id"] for f in client.get("/api/upload/files").json()] == [file["id"]]


def test_exif_metadata_is_stripped(client, member):
    response = upload(client, member, SimpleUploadedFile("photo.jpg", jpeg_with_exif()))
    assert response.status_code == 201
    image = CommunityImage.objects.get(pk=response.json()[0]["id"])
    with image.open_file() as stored, Image.open(stored) as opened:
        assert not opened.getexif()
        assert opened.size == (300, 200)


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("notes.png", b"just text, not an image", 400, "Upload a valid image"),
        ("doc.pdf", png_bytes(), 400, "Not a supported image format"),
        ("fake.jpg", png_bytes(), 400, "extension does not match"),
    ],
)
def test_bad_files_are_refused_with_a_reason(client, member, name, content, status, message):
    response = upload(client, member, SimpleUploadedFile(name, content))
    assert response.status_code == status
    assert message in response.json()["error"]["message"]
    assert not CommunityImage.objects.exists()


def test_too_large_and_too_many_pixels_are_413(client, member, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    response = upload(client, member, SimpleUploadedFile("big.png", png_bytes((400, 400), mode="RGB")))
    assert response.status_code == 413 and "too big" in response.json()["error"]["message"]
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10_000_000
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100 * 100
    response = upload(client, member, SimpleUploadedFile("wide.png", png_bytes((400, 400))))
    assert response.status_code == 413 and "too many pixels" in response.json()["error"]["message"]


def test_one_bad_file_stores_none(client, member):
    response = upload(client, member, SimpleUploadedFile("ok.png", png_bytes()), SimpleUploadedFile("bad.png", b"nope"))
    assert response.status_code == 400
    assert not CommunityImage.objects.exists()


def test_anonymous_uploads_are_403_and_empty_ones_400(client, member):
    assert upload(client, None, SimpleUploadedFile("a.png", png_bytes())).status_code == 403
    response = client.post("/api/upload", data={}, **bearer(member))
    assert response.status_code == 400 and "Files are empty" in response.json()["error"]["message"]


def test_only_editors_delete_files(client, member):
    image = factories.ImageFactory()
    assert client.delete(f"/api/upload/files/{image.pk}", **bearer(member)).status_code == 403
    assert client.delete(f"/api/upload/files/{image.pk}", **bearer(factories.editor())).status_code == 200
    assert client.get(f"/api/upload/files/{image.pk}").status_code == 404
