"""Strapi's users-permissions endpoints: /api/auth/local, /register, /users/me and passwords."""

from __future__ import annotations

from django.conf import settings

from api.authentication import issue_jwt
from api.base import ApiView, json_response
from api.errors import ForbiddenError, ValidationError, invalid_key
from api.permissions import Caller
from api.query import qs
from api.query.access import Access
from api.query.execute import columns, prepare, visible, with_populate
from api.query.selection import SelectionParser
from api.query.values import format_datetime
from api.registry import registry
from api.serialize import Serializer
from api.views import DocumentView
from plugins.accounts import members
from plugins.accounts.policy import ROLES, Actor

ROLE_DESCRIPTIONS = {
    "authenticated": "Default role given to authenticated user.",
    "moderator": "Moderates the forum, assigns achievements and gifts points.",
    "editor": "Edits the community's content in the admin.",
}


def role_json(role: str) -> dict:
    """A users-permissions role; its id is its place among the roles (stable, as the roles are fixed)."""
    return {
        "id": ROLES.index(role) + 1,
        "name": role.capitalize(),
        "description": ROLE_DESCRIPTIONS.get(role, ""),
        "type": role,
    }


def user_json(user) -> dict:
    """The member's own account, as /api/users/me and the auth endpoints return it."""
    profile = getattr(user, "profile", None)
    account = getattr(user, "account", None)
    roles = Actor.of(user).roles
    joined = format_datetime(user.date_joined)
    return {
        "id": user.pk,
        "documentId": account.document_id if account else None,
        "username": user.get_username(),
        "email": user.email,
        "provider": "local",
        "confirmed": True,
        "blocked": not user.is_active,
        "createdAt": joined,
        "updatedAt": joined,
        "publishedAt": joined,
        "role": role_json(roles[-1]),
        "profile": {"id": profile.pk, "documentId": profile.document_id} if profile else None,
    }


def body(request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationError("Expected a JSON object in the request body")
    return request.data


def signed_in(user):
    return json_response({"jwt": issue_jwt(user), "user": user_json(user)})


class LocalLoginView(ApiView):
    authentication_classes: list = []

    def rate_limit_scope(self):
        return "login"

    def post(self, request):
        data = body(request)
        return signed_in(members.sign_in(data.get("identifier"), data.get("password")))


class RegisterView(ApiView):
    authentication_classes: list = []

    def rate_limit_scope(self):
        return "register"

    def post(self, request):
        data = body(request)
        unknown = set(data) - {"username", "email", "password", "firstName", "lastName"}
        if unknown:
            raise ValidationError(f"Invalid parameters: {', '.join(sorted(unknown))}")
        user = members.register_member(
            data.get("username"),
            data.get("email"),
            data.get("password"),
            first_name=data.get("firstName"),
            last_name=data.get("lastName"),
        )
        return signed_in(user)


class MeView(ApiView):
    """The signed-in user; ``populate`` fills ``profile`` (with its own ``fields`` and ``populate``, as
    ``/api/profiles`` takes them) and ``role``, as users-permissions does. Relations are flat, in both
    shapes: users-permissions never wrapped them in ``{data}``."""

    def get(self, request):
        if request.member is None:
            raise ForbiddenError()  # users-permissions: the Public role may not call ``me``
        payload = user_json(request.member)
        populate = user_populate(qs.parse(request.META.get("QUERY_STRING", "")).get("populate"), lenient=self.v4)
        if "profile" in populate:
            payload["profile"] = self.profile(populate["profile"])
        return json_response(payload, request=request)

    def profile(self, options: dict) -> dict | None:
        caller = Caller(self.request.actor, token=self.request.auth)
        if not caller.can("profiles", "find"):
            return None
        access = Access(
            include_private=caller.is_trusted,
            member_id=self.request.member.pk,
            may_find=lambda plural: caller.can(plural, "find"),
        )
        profiles = registry.get("profiles")
        selection = SelectionParser(registry, access, lenient=self.v4).selection(
            profiles, options.get("fields"), options.get("populate"), path="populate[profile]"
        )
        queryset = visible(profiles, access).filter(user=self.request.member).only(*columns(selection, access))
        profile = with_populate(queryset, selection, access, single=True).first()
        if profile is None:
            return None
        prepare([profile], selection)
        return Serializer(access).entry(profile, selection)


class UserView(DocumentView):
    """``/api/users/<id>``: ``GET`` is the generated findOne of ``users`` (moderators and editors); ``PUT``
    is the signed-in user changing their own ``username`` or ``email`` (with their ``currentPassword``: a
    stolen token must not take the account over) or the analytics ``distinctId`` the website records at
    sign-in, flat as users-permissions takes it.

    users-permissions lets a role with ``user.update`` change any user; here nobody changes another
    member's account through the API (editors do it in the admin), so another id is a 403.
    """

    def put(self, request, plural, document_id):
        if request.member is None:
            raise ForbiddenError()
        account = getattr(request.member, "account", None)
        if document_id not in (str(request.member.pk), account.document_id if account else None):
            raise ForbiddenError()
        data = body(request)
        unknown = set(data) - {"username", "email", "distinctId", "currentPassword"}
        if unknown:
            raise ValidationError(f"Invalid parameters: {', '.join(sorted(unknown))}")
        user = members.update_account(
            request.member,
            username=data.get("username"),
            email=data.get("email"),
            distinct_id=data.get("distinctId"),
            current_password=data.get("currentPassword"),
        )
        return json_response(user_json(user))


USER_RELATIONS = ("profile", "role")


def user_populate(raw, lenient: bool) -> dict[str, dict]:
    """``populate`` of /users/me → {relation: its options}; ``role`` is always there, so asking is a no-op."""
    if raw in (None, "", False, "false"):
        return {}
    if raw in ("*", True, "true") or raw == ["*"]:
        return {name: {} for name in USER_RELATIONS}
    if isinstance(raw, str):
        raw = raw.split(",")
    if isinstance(raw, list) and all(isinstance(name, str) for name in raw):
        wanted: dict[str, dict] = {}
        for path in raw:
            head, _, rest = path.strip().partition(".")
            options = wanted.setdefault(head, {})
            if rest:
                options.setdefault("populate", []).append(rest)
        raw = wanted
    if not isinstance(raw, dict):
        raise ValidationError("Invalid populate: expected *, a list of names or an object", {"key": "populate"})
    chosen = {}
    for name, options in raw.items():
        if name not in USER_RELATIONS:
            if lenient:
                continue
            raise invalid_key(name, path="populate")
        if options in (False, "false"):
            continue
        chosen[name] = options if isinstance(options, dict) else {}
    return chosen


class ForgotPasswordView(ApiView):
    authentication_classes: list = []

    def post(self, request):
        members.send_password_reset(body(request).get("email"), settings.API_PASSWORD_RESET_URL)
        return json_response({"ok": True})


class ResetPasswordView(ApiView):
    authentication_classes: list = []

    def post(self, request):
        data = body(request)
        user = members.reset_password(data.get("code"), data.get("password"), data.get("passwordConfirmation"))
        return signed_in(user)


class ChangePasswordView(ApiView):
    def post(self, request):
        if request.member is None:
            raise ForbiddenError()
        data = body(request)
        user = members.change_password(
            request.member, data.get("currentPassword"), data.get("password"), data.get("passwordConfirmation")
        )
        return signed_in(user)
