"""Strapi's users-permissions endpoints: /api/auth/local, /register, /users/me and passwords."""

from __future__ import annotations

from django.conf import settings

from api.authentication import issue_jwt
from api.base import ApiView, JsonObjectSchema, json_response
from api.bodies import Body, Text
from api.errors import ForbiddenError, ValidationError, invalid_key
from api.permissions import Caller
from api.query import qs
from api.query.access import Access
from api.query.execute import find_one, prepare
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


class AuthBody(Body):
    """users-permissions' bodies are flat, and name unknown keys "parameters"."""

    envelope = False
    unknown_key = "Invalid parameters: {keys}"


def secret(help_text: str, **kwargs) -> Text:
    # Spaces are part of a password: never trimmed.
    return Text(trim_whitespace=False, help_text=help_text, **kwargs)


class LoginBody(AuthBody):
    """Sign in with a username or e-mail and the password."""

    identifier = Text(help_text="The username or e-mail.")
    password = secret("The password.")


class RegisterBody(AuthBody):
    """A new member account (and its community profile)."""

    # Blank ones are refused by the sign-up rules, which say what a username and an e-mail must be.
    username = Text(allow_blank=True)
    email = Text(allow_blank=True)
    password = secret("At least the length the password validators ask for.")
    firstName = Text(required=False, allow_blank=True, help_text="The new profile's first name.")
    lastName = Text(required=False, allow_blank=True, help_text="The new profile's last name.")


class ForgotPasswordBody(AuthBody):
    """Ask for a password reset link by e-mail."""

    email = Text(help_text="Where the reset link goes, if an account has it.")


class ResetPasswordBody(AuthBody):
    """A new password, with the code from the reset link."""

    code = Text(help_text="The code from the reset e-mail's link.")
    password = secret("The new password.")
    passwordConfirmation = secret("The new password again.")


class ChangePasswordBody(AuthBody):
    """The signed-in member's new password."""

    currentPassword = secret("The password now.")
    password = secret("The new password.")
    passwordConfirmation = secret("The new password again.")


class AccountBody(AuthBody):
    """What the signed-in member changes on their own account; what is left out stays as it is."""

    username = Text(required=False)
    email = Text(required=False)
    distinctId = Text(required=False, allow_blank=True, help_text="The analytics id the website records.")
    currentPassword = secret("Needed to change the username or e-mail.", required=False)


def signed_in(user):
    return json_response({"jwt": issue_jwt(user), "user": user_json(user)})


class LocalLoginView(ApiView):
    authentication_classes: list = []
    body = LoginBody

    def rate_limit_scope(self):
        return "login"

    def post(self, request):
        data = self.parsed_body()
        return signed_in(members.sign_in(data["identifier"], data["password"]))


class RegisterView(ApiView):
    authentication_classes: list = []
    body = RegisterBody

    def rate_limit_scope(self):
        return "register"

    def post(self, request):
        data = self.parsed_body()
        user = members.register_member(
            data["username"],
            data["email"],
            data["password"],
            first_name=data.get("firstName", ""),
            last_name=data.get("lastName", ""),
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
        profile = find_one(profiles, selection, access, "user", self.request.member.pk)
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

    body = AccountBody
    schema = JsonObjectSchema()  # its PUT (the generated endpoint's GET and DELETE are documented from the registry)

    def put(self, request, plural, document_id):
        if request.member is None:
            raise ForbiddenError()
        account = getattr(request.member, "account", None)
        if document_id not in (str(request.member.pk), account.document_id if account else None):
            raise ForbiddenError()
        data = self.parsed_body()
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
    body = ForgotPasswordBody

    def post(self, request):
        members.send_password_reset(self.parsed_body()["email"], settings.API_PASSWORD_RESET_URL)
        return json_response({"ok": True})


class ResetPasswordView(ApiView):
    authentication_classes: list = []
    body = ResetPasswordBody

    def post(self, request):
        data = self.parsed_body()
        user = members.reset_password(data["code"], data["password"], data["passwordConfirmation"])
        return signed_in(user)


class ChangePasswordView(ApiView):
    body = ChangePasswordBody

    def post(self, request):
        if request.member is None:
            raise ForbiddenError()
        data = self.parsed_body()
        user = members.change_password(
            request.member, data["currentPassword"], data["password"], data["passwordConfirmation"]
        )
        return signed_in(user)
