"""Member accounts: sign-up, sign-in and passwords, as the website's users-permissions endpoints need them."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from plugins.accounts.models import Account
from plugins.core.errors import CacheUnavailable, Invalid, RateLimited
from plugins.core.shared_cache import counts_while_away, shared_cache
from plugins.profiles.services import claim_or_create_profile, follow_account_email

User = get_user_model()


class AccountError(Invalid):
    """A request about an account that cannot be done; the message says why, safely."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, field=field)


@dataclass
class PasswordChange:
    password: str
    confirmation: str


def _text(value, field: str) -> str:
    """A field of an account request as text (missing is empty); anything else is refused, naming the field."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AccountError(f"{field} must be text", field)
    return value


def _check_password(password: str, confirmation: str | None, user=None) -> None:
    if confirmation is not None and password != confirmation:
        raise AccountError("Passwords do not match", "passwordConfirmation")
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages), "password") from None


NAME_MAX_LENGTH = 100  # the profile's first and last name columns


@transaction.atomic
def register_member(username: str, email: str, password: str, first_name: str = "", last_name: str = ""):
    """Create a member account with its profile (claiming one made for the e-mail beforehand).

    ``first_name`` and ``last_name`` (posthog.com's sign-up form sends them) name the new profile; a
    claimed profile keeps the names an editor gave it. Raises ``AccountError`` naming the field.
    """
    username, email = _text(username, "username").strip(), _text(email, "email").strip().lower()
    password = _text(password, "password")
    names = {}
    for field, value in (("firstName", first_name), ("lastName", last_name)):
        names[field] = _text(value, field).strip()
        if len(names[field]) > NAME_MAX_LENGTH:
            raise AccountError(f"{field} is longer than {NAME_MAX_LENGTH} characters", field)
    if not username:
        raise AccountError("username is required", "username")
    if not email or "@" not in email:
        raise AccountError("A valid email is required", "email")
    if User.objects.filter(Q(username__iexact=username) | Q(email__iexact=email)).exists():
        raise AccountError("Email or Username are already taken")
    candidate = User(username=username, email=email, first_name=names["firstName"], last_name=names["lastName"])
    _check_password(password, None, candidate)
    candidate.set_password(password)
    candidate.save()
    claim_or_create_profile(candidate)
    return candidate


@transaction.atomic
def update_account(user, *, username=None, email=None, distinct_id=None, current_password=None):
    """Change the member's own ``username``, ``email`` or analytics ``distinct_id`` (None leaves one as it is).

    The username and e-mail (what signs in, and where a reset link goes) change only with the member's
    ``current_password``. Both stay unique, compared case-insensitively as sign-in compares them; the
    profile's e-mail follows the account's. Raises ``AccountError`` naming the field.
    """
    if (username is not None or email is not None) and not (
        isinstance(current_password, str) and user.check_password(current_password)
    ):
        raise AccountError("Send your currentPassword to change your username or e-mail", "currentPassword")
    changed = []
    if username is not None:
        username = _text(username, "username").strip()
        if not username or len(username) > User._meta.get_field("username").max_length:
            raise AccountError("username is required, at most 150 characters", "username")
        if User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
            raise AccountError("Username already taken", "username")
        user.username = username
        changed.append("username")
    if email is not None:
        email = _text(email, "email").strip().lower()
        if "@" not in email or len(email) > 254:
            raise AccountError("A valid email is required", "email")
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise AccountError("Email already taken", "email")
        user.email = email
        changed.append("email")
    if distinct_id is not None:
        distinct_id = _text(distinct_id, "distinctId").strip()
        if len(distinct_id) > 200:
            raise AccountError("distinctId is at most 200 characters", "distinctId")
        Account.objects.update_or_create(user=user, defaults={"distinct_id": distinct_id})
    if changed:
        user.save(update_fields=changed)
        if "email" in changed:
            follow_account_email(user)
    return user


def sign_in(identifier: str, password: str):
    """The active account whose username or e-mail is ``identifier`` and whose password matches.

    Raises ``AccountError`` alike for an unknown account and a wrong password, in the same time (a
    password is hashed either way), and ``RateLimited`` once an account has had ``login-account``
    failed sign-ins (``API_RATE_LIMITS``) in the period, whichever addresses they came from.
    """
    identifier, password = _text(identifier, "identifier").strip(), _text(password, "password")
    user = User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier)).first()
    # Counted per account (its username and e-mail alike), or per identifier when there is none.
    failures = _FailedSignIns(f"user-{user.pk}" if user else f"name-{identifier.casefold()}")
    failures.refuse_when_exceeded()
    if user is None:
        make_password(password)  # as slow as checking a real password: no account oracle by timing
        authenticated = None
    else:
        authenticated = authenticate(username=user.username, password=password)
    if authenticated is None:
        failures.count()
        raise AccountError("Invalid identifier or password")
    failures.clear()
    return authenticated


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_rate(rate: str) -> tuple[int, int]:
    """``"10/hour"`` → (10, 3600), as the API's rate limits are written."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


class _FailedSignIns:
    """Failed sign-ins per account (by identifier), counted in the shared cache for the period of the rate.

    While the shared cache is away they are counted as ``counts_while_away("login-account")`` says.
    """

    def __init__(self, account: str):
        digest = hashlib.sha256(account.encode("utf-8", "surrogatepass")).hexdigest()
        self.key = f"sign-in-failures:{digest}"
        rate = settings.API_RATE_LIMITS.get("login-account")
        self.limit, self.period = _parse_rate(rate) if rate else (None, None)

    def _cache_call(self, operation: str, *args):
        """``cache.<operation>(*args)``; while the shared cache is away, in the process or not at all."""
        try:
            return getattr(shared_cache(), operation)(*args)
        except CacheUnavailable:
            counts = counts_while_away("login-account")  # raises Unavailable for a closed limit
            return None if counts is None else getattr(counts, operation)(*args)

    def _window(self) -> tuple[int, float]:
        """(failures, end of the period they count in); the period starts with the first failure."""
        now = time.time()
        kept = self._cache_call("get", self.key)
        if isinstance(kept, tuple) and kept[1] > now:
            return kept
        return 0, now + (self.period or 0)

    def refuse_when_exceeded(self) -> None:
        if self.limit is None:
            return
        failures, until = self._window()
        if failures >= self.limit:
            raise RateLimited(
                "Too many failed sign-ins for this account; try again later or reset the password.",
                retry_after=max(1, round(until - time.time())),
            )

    def count(self) -> None:
        if self.limit is None:
            return
        # The end of the period is kept with the count (each backend's incr may reset a key's expiry).
        failures, until = self._window()
        self._cache_call("set", self.key, (failures + 1, until), max(1, round(until - time.time())))

    def clear(self) -> None:
        self._cache_call("delete", self.key)


def password_reset_code(user) -> str:
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}-{default_token_generator.make_token(user)}"


def send_password_reset(email: str, url_template: str) -> None:
    """E-mail a reset link when an account has this address; say nothing either way (no enumeration)."""
    user = User.objects.filter(email__iexact=_text(email, "email").strip(), is_active=True).first()
    if user is None or not user.has_usable_password() and not user.email:
        return
    link = url_template.format(code=password_reset_code(user))
    send_mail(
        "Reset your password",
        f"Someone asked to reset the password of your community account.\n\n"
        f"Set a new one here: {link}\n\nIf it wasn't you, ignore this e-mail.",
        None,
        [user.email],
    )


def reset_password(code: str, password: str, confirmation: str):
    """Set a new password from a reset code; the code stops working once used."""
    uid, _, token = _text(code, "code").partition("-")
    password, confirmation = _text(password, "password"), _text(confirmation, "passwordConfirmation")
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise AccountError("Incorrect code provided", "code") from None
    if not default_token_generator.check_token(user, token):
        raise AccountError("Incorrect code provided", "code")
    _check_password(password, confirmation, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _FailedSignIns(f"user-{user.pk}").clear()  # a new password lifts the lock on failed sign-ins
    return user


def change_password(user, current: str, password: str, confirmation: str):
    """Change a signed-in member's password after checking the current one."""
    current, password = _text(current, "currentPassword"), _text(password, "password")
    confirmation = _text(confirmation, "passwordConfirmation")
    if not user.check_password(current):
        raise AccountError("The provided current password is invalid", "currentPassword")
    if current == password:
        raise AccountError("Your new password must be different than your current password", "password")
    _check_password(password, confirmation, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
