"""What users-permissions keeps on a user that Django's ``User`` does not."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

from plugins.core.document_ids import new_document_id


class Account(models.Model):
    """A user's Strapi ``documentId`` (stable and opaque, as Strapi 5 gives every user one) and the
    analytics ``distinctId`` the website records at sign-in, which moderators follow to the member's
    sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="account"
    )
    document_id = models.CharField(max_length=24, unique=True, default=new_document_id, editable=False)
    distinct_id = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return self.document_id


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.account_for_new_user")
def _account_for_new_user(sender, instance, created, raw=False, **kwargs):
    # Every way a user is made (sign-up, the admin, createsuperuser, onboarding) gets its documentId.
    if created and not raw:
        Account.objects.get_or_create(user=instance)


def blocked() -> models.Expression:
    """Whether an account is blocked (inactive), as the database computes it."""
    return models.ExpressionWrapper(models.Q(is_active=False), output_field=models.BooleanField())


class MemberManager(models.Manager):
    """Users as the API reads them: with their Strapi ``documentId`` and Strapi's timestamps beside them."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                document_id=models.F("account__document_id"),
                distinct_id=models.F("account__distinct_id"),
                created_at=models.F("date_joined"),
                updated_at=models.F("date_joined"),
            )
        )


class Member(get_user_model()):
    """A user as users-permissions shows one (``/api/users``, a profile's ``user``); the same table."""

    objects = MemberManager()

    class Meta:
        proxy = True

    @property
    def blocked(self) -> bool:
        return not self.is_active
