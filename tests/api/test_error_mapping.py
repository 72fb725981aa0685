"""The one exception handler: each class of the services' hierarchy answers its status in Strapi's envelope."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from api.errors import exception_handler
from plugins.achievements.services import AwardError, ReasonRequired
from plugins.assets.services import ImageRejected, ImageTooLarge
from plugins.core import errors
from plugins.forum.services import ForumError
from plugins.points.services import InsufficientPoints, PointsError
from plugins.rewards.codes import CodeProviderError
from plugins.rewards.services import StoreError


class View:
    def api_names(self):
        return {"first_name": "firstName"}


@pytest.mark.parametrize(
    ("error", "status", "name"),
    [
        (errors.Invalid("bad"), 400, "ValidationError"),
        (errors.TooLarge("big"), 413, "PayloadTooLargeError"),
        (errors.NotAllowed("no"), 403, "ForbiddenError"),
        (errors.NotFound("gone"), 404, "NotFoundError"),
        (errors.Conflict("not now"), 409, "ConflictError"),
        (errors.Unavailable("down"), 503, "ServiceUnavailableError"),
        # The plugins' own classes answer as the class they extend.
        (StoreError("out of stock"), 409, "ConflictError"),
        (ForumError("closed"), 409, "ConflictError"),
        (AwardError("held"), 409, "ConflictError"),
        (ReasonRequired("say why"), 400, "ValidationError"),
        (PointsError("at most 500"), 400, "ValidationError"),
        (InsufficientPoints("not enough"), 409, "ConflictError"),
        (ImageRejected("not an image"), 400, "ValidationError"),
        (ImageTooLarge("too big"), 413, "PayloadTooLargeError"),
        (CodeProviderError("the shop is down"), 503, "ServiceUnavailableError"),
    ],
)
def test_each_service_error_answers_its_status(error, status, name):
    response = exception_handler(error, {"view": View()})
    assert response.status_code == status
    assert response.data["data"] is None
    assert response.data["error"] == {"status": status, "name": name, "message": str(error), "details": {}}


def test_fields_are_named_as_the_api_names_them():
    response = exception_handler(errors.Invalid("Too long", field="first_name"), {"view": View()})
    assert response.data["error"]["details"] == {
        "errors": [{"path": ["firstName"], "message": "Too long", "name": "ValidationError"}]
    }
    django = exception_handler(DjangoValidationError({"first_name": "Too long"}), {"view": View()})
    assert django.status_code == 400
    assert django.data["error"]["details"]["errors"][0]["path"] == ["firstName"]


def test_anything_else_is_left_to_django():
    assert exception_handler(KeyError("a bug"), {"view": View()}) is None
