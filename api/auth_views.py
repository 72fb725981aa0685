"""Strapi's users-permissions endpoints: /api/auth/local, /register, /users/me and passwords."""

from __future__ import annotations

from django.conf import settings

from api.authentication import issue_jwt
from api.base import ApiView, json_response
from api.errors import UnauthorizedError, ValidationError
from api.query.values import format_datetime
from plugins.accounts import members
from plugins.accounts.policy import Actor


def user_json(user) -> dict:
    """The member's own account, as /api/users/me and the auth endpoints return it."""
    profile = getattr(user, "profile", None)
    roles = Actor.of(user).roles
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "provider": "local",
        "confirmed": True,
        "blocked": not user.is_active,
        "createdAt": format_datetime(user.date_joined),
        "updatedAt": format_datetime(user.date_joined),
        "role": {"name": roles[-1].capitalize(), "type": roles[-1]},
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
        unknown = set(data) - {"username", "email", "password"}
        if unknown:
            raise ValidationError(f"Invalid parameters: {', '.join(sorted(unknown))}")
        user = members.register_member(data.get("username"), data.get("email"), data.get("password"))
        return signed_in(user)


class MeView(ApiView):
    def get(self, request):
        if request.member is None:
            raise UnauthorizedError()
        return json_response(user_json(request.member), request=request)


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
            raise UnauthorizedError()
        data = body(request)
        user = members.change_password(
            request.member, data.get("currentPassword"), data.get("password"), data.get("passwordConfirmation")
        )
        return signed_in(user)
