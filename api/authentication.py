"""Bearer credentials: users' JWTs (from /api/auth/local) and API tokens."""

from __future__ import annotations

from datetime import timedelta

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from api.errors import UnauthorizedError
from api.models import ApiToken, hash_token

JWT_ALGORITHM = "HS256"
# Record last use at most this often, so reads don't write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def issue_jwt(user) -> str:
    """A Strapi-style JWT for ``user``: ``{id, iat, exp}``, signed with the site's key."""
    now = timezone.now()
    payload = {
        "id": user.pk,
        "iat": int(now.timestamp()),
        "exp": int((now + settings.API_JWT_LIFETIME).timestamp()),
        "pwd": password_fingerprint(user),
    }
    return jwt.encode(payload, settings.API_JWT_SECRET, algorithm=JWT_ALGORITHM)


def password_fingerprint(user) -> str:
    """Changes when the password does, so that a password change signs out every issued JWT."""
    return salted_hmac("api.jwt", user.password, algorithm="sha256").hexdigest()[:16]


def user_from_jwt(token: str):
    try:
        payload = jwt.decode(token, settings.API_JWT_SECRET, algorithms=[JWT_ALGORITHM], options={"require": ["exp"]})
    except jwt.ExpiredSignatureError:
        raise UnauthorizedError("The token has expired") from None
    except jwt.PyJWTError:
        raise UnauthorizedError("Invalid credentials") from None
    user = get_user_model().objects.filter(pk=payload.get("id"), is_active=True).first()
    if user is None:
        raise UnauthorizedError("Invalid credentials")
    if payload.get("pwd") != password_fingerprint(user):
        raise UnauthorizedError("The token is no longer valid")
    return user


def api_token_from_key(key: str) -> ApiToken:
    token = ApiToken.objects.filter(key_hash=hash_token(key)).first()
    if token is None:
        raise UnauthorizedError("Invalid credentials")
    if token.expired:
        raise UnauthorizedError("The API token has expired")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class BearerAuthentication(BaseAuthentication):
    """``Authorization: Bearer <jwt | api token>``; anything else malformed is a 401."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != b"bearer" or len(header) != 2:
            raise UnauthorizedError("Authorization header must be: Bearer <token>")
        credential = header[1].decode("latin-1")
        if credential.count(".") == 2:
            return user_from_jwt(credential), None
        return None, api_token_from_key(credential)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
