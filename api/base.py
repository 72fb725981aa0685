"""The base of every API view: Bearer authentication, orjson rendering, Strapi's error envelope.

Set per view rather than in DRF's global settings, so that Wagtail's own DRF views (the admin's
choosers) keep their session authentication and error format.
"""

import hashlib

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView

from api.authentication import BearerAuthentication
from api.bodies import Body, parse_body, request_schema
from api.errors import ForbiddenError, NotFoundError, ValidationError, exception_handler
from api.parsers import CheckedFormParser, CheckedMultiPartParser, StrictJSONParser, UnsafeText, check_text
from api.query.qs import is_index
from api.renderers import JSONRenderer
from api.throttling import throttles_for
from plugins.accounts.policy import Actor
from plugins.profiles.services import claim_or_create_profile, profile_of


class JsonObjectSchema(AutoSchema):
    """The hand-written views return JSON objects described in their docstrings, and take the body they
    declare (``ApiView.body``, the one they parse with) or none."""

    def get_request_serializer(self):
        body = getattr(self.view, "body", None)
        # No media types: an operation that reads no body documents none (rather than a free-form object).
        return {body.media_type: request_schema(body)} if body is not None else {}

    def get_response_serializers(self):
        return OpenApiTypes.OBJECT

    def get_description(self):
        return (self.view.__class__.__doc__ or "").strip()


class ApiView(APIView):
    schema = JsonObjectSchema()
    authentication_classes = [BearerAuthentication]
    permission_classes: list = []
    renderer_classes = [JSONRenderer]
    parser_classes = [StrictJSONParser, CheckedMultiPartParser, CheckedFormParser]
    # The request body the view's POST or PUT reads (``api.bodies``): parsed with it, and documented by it.
    body: type[Body] | None = None

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        self.check_edge(request, kwargs)
        super().initial(request, *args, **kwargs)
        # The signed-in member, or None (anonymous, or an API token that stands for no one).
        user = request.user
        request.member = user if user is not None and user.is_authenticated else None
        request.anonymous = request.member is None and request.auth is None
        # What the caller may do, beyond the role matrix: the one policy (plugins.accounts.policy).
        request.actor = Actor(request.member, request.auth.kind if request.auth is not None else None)

    @staticmethod
    def check_edge(request, kwargs) -> None:
        """Path and query parameters are text a database can store (bodies: ``StrictJSONParser``)."""
        for value in kwargs.values():
            if isinstance(value, str) and "\x00" in value:
                raise NotFoundError()  # no document has such an id
        try:
            for key, values in request.query_params.lists():
                check_text(key, "A query parameter's name")
                for value in values:
                    check_text(value, f"The query parameter {key[:40]}")
        except UnsafeText as error:
            raise ValidationError(str(error)) from None

    @property
    def v4(self) -> bool:
        """Strapi v4's shape, asked by the ``Strapi-Response-Format`` header or the deployment's default."""
        wanted = self.request.headers.get("Strapi-Response-Format") or settings.API_DEFAULT_RESPONSE_FORMAT
        return wanted.strip().lower() == "v4"

    def ref(self, ref: str) -> dict:
        """The lookup for a document named in a path: its ``documentId``, or in the v4 shape also the integer
        ``id`` that v4 responses carry."""
        return document_lookup(ref, integer_ids=self.v4)

    def parsed_body(self) -> dict:
        """The request's body, read with the view's declared ``body``."""
        return parse_body(self.request, self.body)

    # The rate-limit scope of a request (see api.throttling), or None for no limit.
    def rate_limit_scope(self) -> str | None:
        return None

    def get_throttles(self):
        return throttles_for(self.rate_limit_scope())

    def check_throttles(self, request):
        # After authentication (DRF checks throttles after it in ``initial``), so per-member counts know the member.
        request.member = request.user if request.user is not None and request.user.is_authenticated else None
        super().check_throttles(request)

    def deny(self):
        """The error for a caller who may not do this: 403, with credentials or without, as Strapi answers
        (its Public role lacks the permission). A 401 is for credentials that are wrong or expired."""
        return ForbiddenError()


def document_lookup(ref: str, *, integer_ids: bool) -> dict:
    """``filter`` keywords for a document named by its ``documentId`` or, with ``integer_ids``, by the
    integer id (a documentId is never all digits; 19 digits would overflow a bigint)."""
    if integer_ids and is_index(ref) and len(ref) < 19:
        return {"pk": int(ref)}
    return {"document_id": ref}


class MemberView(ApiView):
    """For signed-in members only: ``self.profile`` is theirs, made on their first write.

    A read never writes: an account without a profile yet reads as a member with nothing (``self.profile``
    is None, which every lookup by profile finds nothing for).
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.member is None:
            raise self.deny()
        reading = request.method in SAFE_METHODS
        self.profile = profile_of(request.member) if reading else claim_or_create_profile(request.member)


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


def only_api_endpoints(endpoints, **kwargs):
    """drf-spectacular pre-processing hook: document /api/ only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def json_response(payload, status: int = 200, request=None, cacheable: bool = False) -> HttpResponse:
    """Render with orjson; GETs get an ETag and answer 304 to a matching ``If-None-Match``."""
    body = orjson.dumps(payload)
    if request is not None and request.method == "GET" and status == 200:
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        cache_control = f"public, max-age={settings.API_CACHE_MAX_AGE}" if cacheable else "private, no-cache"
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, status=status, content_type="application/json")
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        response["Vary"] = "Authorization, Strapi-Response-Format"
        return response
    return HttpResponse(body, status=status, content_type="application/json")
