"""Strapi's upload endpoints: POST /api/upload (multipart ``files``), GET /api/upload/files[/:id]."""

from __future__ import annotations

import json

from api.base import ApiView, json_response
from api.errors import NotFoundError, PayloadTooLargeError, ValidationError
from api.media import file_object, image_queryset
from api.models import TokenKind
from api.permissions import roles_of
from api.query import qs
from api.query.filters import FilterBuilder
from api.query.selection import Access, parse_sort
from api.registry import Attribute, ContentType, registry
from plugins.assets.models import CommunityImage
from plugins.assets.services import ImageRejected, store_image

MAX_FILES = 20


def _may_upload(request) -> bool:
    if request.auth is not None:
        return request.auth.kind == TokenKind.FULL_ACCESS
    return request.member is not None


def _may_delete(request) -> bool:
    if request.auth is not None:
        return request.auth.kind == TokenKind.FULL_ACCESS
    return request.member is not None and "editor" in roles_of(request.member)


def _file_info(request, count: int) -> list[dict]:
    raw = request.data.get("fileInfo")
    if not raw:
        return [{}] * count
    try:
        info = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise ValidationError("fileInfo must be JSON") from None
    info = info if isinstance(info, list) else [info]
    if not all(isinstance(item, dict) for item in info):
        raise ValidationError("fileInfo must be an object or a list of objects")
    return info + [{}] * (count - len(info))


def _may_edit(request, image) -> bool:
    return _may_delete(request) or (request.member is not None and image.uploaded_by_user_id == request.member.pk)


class UploadView(ApiView):
    """Upload images (multipart ``files`` and optional ``fileInfo``), or with ``?id=`` update a file's info."""

    def rate_limit_scope(self):
        return "upload" if self.request.method == "POST" else None

    def post(self, request):
        if request.query_params.get("id"):
            return self.update_info(request, request.query_params["id"])
        if not _may_upload(request):
            raise self.deny()
        files = request.FILES.getlist("files")
        if not files:
            raise ValidationError("Files are empty: send them as multipart form data in the field files")
        if len(files) > MAX_FILES:
            raise ValidationError(f"At most {MAX_FILES} files at once")
        stored = []
        for upload, info in zip(files, _file_info(request, len(files)), strict=False):
            try:
                image = store_image(
                    upload,
                    title=str(info.get("name") or ""),
                    alt_text=str(info.get("alternativeText") or ""),
                    caption=str(info.get("caption") or ""),
                    user=request.member,
                )
            except ImageRejected as error:
                for done in stored:
                    done.delete()  # all or nothing: no half-finished upload
                cls = PayloadTooLargeError if error.too_large else ValidationError
                raise cls(f"{upload.name}: {error}") from None
            stored.append(image)
        images = image_queryset().filter(pk__in=[image.pk for image in stored]).order_by("pk")
        return json_response([file_object(image) for image in images], status=201)

    def update_info(self, request, pk: str):
        image = _lookup(pk)
        if not _may_edit(request, image):
            raise self.deny()
        info = _file_info(request, 1)[0]
        unknown = set(info) - {"name", "alternativeText", "caption", "folder"}
        if unknown:
            raise ValidationError(f"Invalid key {sorted(unknown)[0]} in fileInfo")
        if "name" in info:
            image.title = str(info["name"] or image.title)[:255]
        if "alternativeText" in info:
            image.description = str(info["alternativeText"] or "")[:255]
        if "caption" in info:
            image.caption = str(info["caption"] or "")[:255]
        image.save(update_fields=["title", "description", "caption"])
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
        if not _may_delete(request):
            raise self.deny()
        image = _lookup(pk)
        data = file_object(image)
        image.delete()
        return json_response(data)


def _lookup(pk: str) -> CommunityImage:
    lookup = {"pk": int(pk)} if pk.isdigit() else {"document_id": pk}
    image = image_queryset().filter(**lookup).first()
    if image is None:
        raise NotFoundError()
    return image
