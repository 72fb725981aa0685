"""Strapi's upload endpoints: POST /api/upload (multipart ``files``), GET /api/upload/files[/:id]."""

from __future__ import annotations

import json

from api.base import ApiView, json_response
from api.errors import ForbiddenError, NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError
from api.media import file_object, image_queryset
from api.models import TokenKind
from api.permissions import roles_of
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


class UploadView(ApiView):
    def post(self, request):
        if not _may_upload(request):
            raise UnauthorizedError() if request.member is None and request.auth is None else ForbiddenError()
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


class FileListView(ApiView):
    def get(self, request):
        images = image_queryset().order_by("-created_at", "-pk")[:100]
        return json_response(
            [file_object(image) for image in images],
            request=request,
            cacheable=request.member is None and request.auth is None,
        )


class FileView(ApiView):
    def get(self, request, pk: str):
        image = _lookup(pk)
        return json_response(
            file_object(image), request=request, cacheable=request.member is None and request.auth is None
        )

    def delete(self, request, pk: str):
        if not _may_delete(request):
            raise UnauthorizedError() if request.member is None and request.auth is None else ForbiddenError()
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
