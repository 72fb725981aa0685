"""Strapi's upload endpoints: POST /api/upload (multipart ``files``), GET /api/upload/files[/:id]."""

from __future__ import annotations

import orjson
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from api.base import ApiView, json_response
from api.bodies import Body
from api.errors import NotFoundError, ValidationError
from api.media import file_object, image_queryset
from api.parsers import UnsafeText, check_json
from api.query import qs
from api.query.filters import FilterBuilder
from api.query.qs import is_index
from api.query.selection import Access, parse_sort
from api.registry import Attribute, ContentType, registry
from plugins.assets.models import CommunityImage
from plugins.assets.services import delete_image, store_images, update_file_info

MAX_FILES = 20


@extend_schema_field({"type": "string", "description": "JSON: an object, or a list of them in the files' order."})
class FileInfo(serializers.Field):
    """``fileInfo``: JSON text in a multipart body (or, in a JSON body, the object or list itself)."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


class UploadBody(Body):
    """Images as multipart form data, each with its info (``name``, ``alternativeText``, ``caption``)."""

    envelope = False
    media_type = "multipart/form-data"
    # Strapi's upload takes more fields (ref, refId, field, path) than the files and their info; they are ignored.
    unknown_key = None

    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_FILES,
        help_text=f"The images, at most {MAX_FILES}; needed unless ?id= names the file whose info changes.",
    )
    fileInfo = FileInfo(required=False)


def _file_info(raw, count: int) -> list[dict]:
    if not raw:
        return [{}] * count
    try:
        info = check_json(orjson.loads(raw), "fileInfo") if isinstance(raw, str) else raw
    except orjson.JSONDecodeError:
        raise ValidationError("fileInfo must be JSON") from None
    except UnsafeText as error:
        raise ValidationError(str(error)) from None
    info = info if isinstance(info, list) else [info]
    if not all(isinstance(item, dict) for item in info):
        raise ValidationError("fileInfo must be an object or a list of objects")
    return info + [{}] * (count - len(info))


class UploadView(ApiView):
    """Upload images (multipart ``files`` and optional ``fileInfo``), or with ``?id=`` update a file's info."""

    body = UploadBody

    def rate_limit_scope(self):
        return "upload" if self.request.method == "POST" else None

    def post(self, request):
        if request.query_params.get("id"):
            return self.update_info(request, request.query_params["id"])
        if not request.actor.may_upload:
            raise self.deny()
        data = self.parsed_body()
        files = data.get("files", [])
        if not files:
            raise ValidationError("Files are empty: send them as multipart form data in the field files")
        uploads = [
            (
                upload,
                {
                    "title": str(info.get("name") or ""),
                    "alt_text": str(info.get("alternativeText") or ""),
                    "caption": str(info.get("caption") or ""),
                },
            )
            for upload, info in zip(files, _file_info(data.get("fileInfo"), len(files)), strict=False)
        ]
        stored = store_images(uploads, user=request.member)
        images = image_queryset().filter(pk__in=[image.pk for image in stored]).order_by("pk")
        return json_response([file_object(image) for image in images], status=201)

    def update_info(self, request, pk: str):
        image = _lookup(pk)
        if not request.actor.may_edit_file(image):
            raise self.deny()
        info = _file_info(self.parsed_body().get("fileInfo"), 1)[0]
        unknown = set(info) - {"name", "alternativeText", "caption", "folder"}
        if unknown:
            raise ValidationError(f"Invalid key {sorted(unknown)[0]} in fileInfo")
        given = {"title": "name", "alt_text": "alternativeText", "caption": "caption"}
        update_file_info(image, **{arg: str(info[key] or "") for arg, key in given.items() if key in info})
        return json_response(file_object(_lookup(pk)))


FILE_TYPE = ContentType(
    plural="files",
    singular="file",
    model=CommunityImage,
    attributes=(
        Attribute("name", "title"),
        Attribute("alternativeText", "description"),
        Attribute("caption", "caption"),
        Attribute("width", "width", "integer"),
        Attribute("height", "height", "integer"),
        Attribute("url", "file"),
    ),
)


class FileListView(ApiView):
    """Uploaded files, newest first; ``filters`` and ``sort`` as for content types (at most 100)."""

    @extend_schema(operation_id="upload_files_list")
    def get(self, request):
        params = qs.parse(request.META.get("QUERY_STRING", ""))
        images = image_queryset()
        if params.get("filters"):
            images = images.filter(FilterBuilder(registry).build(FILE_TYPE, params["filters"]))
        ordering = parse_sort(FILE_TYPE, params.get("sort"), "sort", Access())
        images = images.order_by(*(ordering or ["-created_at"]), "-pk")[:100]
        return json_response(
            [file_object(image) for image in images],
            request=request,
            cacheable=request.anonymous,
        )


class FileView(ApiView):
    def get(self, request, pk: str):
        image = _lookup(pk)
        return json_response(file_object(image), request=request, cacheable=request.anonymous)

    def delete(self, request, pk: str):
        if not request.actor.is_editor:
            raise self.deny()
        image = _lookup(pk)
        data = file_object(image)
        delete_image(image)
        return json_response(data)


def _lookup(pk: str) -> CommunityImage:
    lookup = {"pk": int(pk)} if is_index(pk) else {"document_id": pk}
    image = image_queryset().filter(**lookup).first()
    if image is None:
        raise NotFoundError()
    return image
