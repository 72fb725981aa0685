"""The generated endpoints.

``/api/<plural>`` (find, create) and ``/api/<plural>/<documentId>`` (findOne, update, delete).

Views parse and authorise; reading goes through the query modules, writing through the content
type's core service (``api.services``). Nothing here knows one content type from another.
"""

from __future__ import annotations

from django.http import HttpResponse

from api.base import ApiView, json_response
from api.errors import ForbiddenError, NotFoundError, ValidationError
from api.permissions import Caller
from api.query import qs
from api.query.execute import columns, filtered, find_one, prepare, visible, with_populate
from api.query.filters import FilterBuilder
from api.query.selection import Access, SelectionParser, parse_pagination, parse_sort, parsed_selection
from api.registry import ContentType, registry
from api.serialize import Serializer
from api.writes import Writer, api_names


class ContentTypeView(ApiView):
    """Common parsing and authorisation for the generated endpoints."""

    content_type: ContentType
    schema = None  # documented per content type by api.openapi

    def initial(self, request, *args, **kwargs):
        content_type = registry.get(kwargs["plural"])
        if content_type is None:
            raise NotFoundError()
        self.content_type = content_type
        super().initial(request, *args, **kwargs)
        self.caller = Caller(request.actor, token=request.auth)
        self.params = qs.parse(request.META.get("QUERY_STRING", ""))

    def api_names(self) -> dict[str, str]:
        """Model field → API name, so that errors name the fields as the caller sent them."""
        return api_names(self.content_type)

    def authorise(self, action: str) -> None:
        # Strapi answers 403 to the Public role too when it lacks the permission.
        if not self.caller.can(self.content_type.plural, action):
            raise ForbiddenError()

    def status(self) -> str | None:
        status = self.params.get("status")
        if status not in (None, "draft", "published"):
            raise ValidationError(f"Invalid status {status!r}: use draft or published", {"key": "status"})
        return status

    def access(self) -> Access:
        status = self.status()
        publication_state = self.params.get("publicationState")
        if publication_state not in (None, "live", "preview"):
            raise ValidationError(
                f"Invalid publicationState {publication_state!r}: use live or preview", {"key": "publicationState"}
            )
        may_see_drafts = self.caller.can_see_drafts(self.content_type.plural)
        if status == "draft" and self.content_type.draft_and_publish and not may_see_drafts:
            raise ForbiddenError("Only editors may read drafts")
        # Strapi 4's sanitizer dropped publicationState=preview for a caller who may not read drafts, so the
        # query read the published rows: clients (posthog.com) send it to every caller. Never drafts.
        drafts = status == "draft" or (publication_state == "preview" and may_see_drafts)
        return self.reader(drafts=drafts and self.content_type.draft_and_publish)

    def reader(self, drafts: bool) -> Access:
        """What this caller reads: private fields if trusted, their own hidden rows, the types they may find."""
        return Access(
            include_private=self.caller.is_trusted,
            drafts=drafts,
            member_id=self.request.member.pk if self.request.member else None,
            may_find=lambda plural: self.caller.can(plural, "find"),
        )

    def selection(self, access: Access):
        fields, populate = self.params.get("fields"), self.params.get("populate")
        return parsed_selection(registry, access, self.content_type, fields, populate, lenient=self.v4)

    def respond(self, payload, status: int = 200):
        cacheable = self.request.anonymous
        return json_response(payload, status, self.request, cacheable=cacheable)

    def body_data(self):
        if not isinstance(self.request.data, dict) or "data" not in self.request.data:
            raise ValidationError('Missing "data" payload in the request body')
        return self.request.data["data"]

    def publish_requested(self) -> bool:
        return self.status() != "draft"

    def access_for_write(self) -> Access:
        return self.reader(drafts=False)

    @staticmethod
    def targets_access(access: Access) -> Access | None:
        """Which rows a body's relations may name: any for trusted callers (an editor links a draft), what
        they read for the others."""
        return None if access.include_private else access

    def written(self, instance, status: int = 200):
        access = self.reader(drafts=self.content_type.draft_and_publish and not self.publish_requested())
        selection = SelectionParser(registry, access, lenient=self.v4).selection(
            self.content_type, self.params.get("fields"), self.params.get("populate")
        )
        # Trusted callers read back every version (a draft they saved); others what they may read.
        every_version = Access(include_private=True, drafts=True) if access.include_private else access
        fresh = with_populate(visible(self.content_type, every_version).filter(pk=instance.pk), selection, access)
        obj = fresh.first()
        if obj is None:  # written, but no longer theirs to read (a moderator hid it meanwhile)
            return HttpResponse(status=204)
        prepare([obj], selection)
        return self.respond(self.single(obj, access, selection), status=status)

    def single(self, obj, access: Access, selection):
        serializer = Serializer(access, v4=self.v4)
        return {"data": serializer.entry(obj, selection), "meta": {}}


class CollectionView(ContentTypeView):
    def rate_limit_scope(self):
        # Throttles are checked in ``initial``, after the content type is known.
        return self.content_type.create_rate_limit if self.request.method == "POST" else None

    def get(self, request, plural):
        self.authorise("find")
        access = self.access()
        selection = self.selection(access)
        builder = FilterBuilder(registry, access)
        filters = self.params.get("filters")
        q = builder.build(self.content_type, filters) if filters not in (None, "") else None
        ordering = parse_sort(self.content_type, self.params.get("sort"), "sort", access)
        pagination = parse_pagination(self.params.get("pagination"))

        queryset = filtered(visible(self.content_type, access), q)
        total = queryset.count() if pagination.with_count else None
        page = queryset.order_by(*ordering, "pk").only(*columns(selection, access))
        page = page[pagination.offset : pagination.offset + pagination.limit]
        rows = list(with_populate(page, selection, access))
        prepare(rows, selection)
        data = Serializer(access, v4=self.v4).entries(rows, selection)
        return self.respond({"data": data, "meta": {"pagination": pagination.meta(total)}})

    def post(self, request, plural):
        self.authorise("create")
        access = self.access_for_write()
        writer = Writer(self.content_type, include_private=access.include_private, access=self.targets_access(access))
        plan = writer.plan(self.body_data())
        instance = self.content_type.service.create(self.caller.actor, plan, publish=self.publish_requested())
        return self.written(instance, status=201)


class DocumentView(ContentTypeView):
    def lookup(self, queryset, document_id: str):
        obj = queryset.filter(**self.ref(document_id)).first()
        if obj is None:
            raise NotFoundError()
        return obj

    def target(self, document_id: str, action: str):
        """The row an update or delete acts on: any row for a caller the role lets do it; for the others (an
        owner, a moderator by the type's own rules) only rows they read, so that no answer tells a hidden
        row from a missing one."""
        if self.caller.can(self.content_type.plural, action):
            return self.lookup(self.content_type.model._default_manager.all(), document_id)
        return self.lookup(visible(self.content_type, self.access_for_write()), document_id)

    def get(self, request, plural, document_id):
        self.authorise("findOne")
        access = self.access()
        selection = self.selection(access)
        ((field, value),) = self.ref(document_id).items()
        obj = find_one(self.content_type, selection, access, field, value)
        if obj is None:
            raise NotFoundError()
        prepare([obj], selection)
        return self.respond(self.single(obj, access, selection))

    def put(self, request, plural, document_id):
        allowed = None
        instance = self.target(document_id, "update")
        if not self.caller.can(self.content_type.plural, "update"):
            allowed = self.content_type.service.writable_by(self.caller.actor, instance, owns=self.owns(instance))
            if allowed is None:
                raise self.deny()
        access = self.access_for_write()
        writer = Writer(
            self.content_type,
            include_private=access.include_private,
            allowed=allowed,
            access=self.targets_access(access),
        )
        plan = writer.plan(self.body_data(), instance=instance)
        instance = self.content_type.service.update(self.caller.actor, instance, plan, publish=self.publish_requested())
        return self.written(instance)

    def delete(self, request, plural, document_id):
        instance = self.target(document_id, "delete")
        permitted = self.caller.can(self.content_type.plural, "delete")
        if not permitted and not self.content_type.service.may_delete(
            self.caller.actor, instance, owns=self.owns(instance)
        ):
            raise self.deny()
        access = self.access_for_write()
        payload = None
        if self.v4:
            selection = SelectionParser(registry, access).selection(self.content_type, None, None)
            payload = self.single(instance, access, selection)
        self.content_type.service.delete(self.caller.actor, instance)
        if payload is None:
            return HttpResponse(status=204)
        return self.respond(payload)

    def owns(self, instance) -> bool:
        user = self.caller.user
        return user is not None and self.content_type.owner_id(instance) == user.pk
