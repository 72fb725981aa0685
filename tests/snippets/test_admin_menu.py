"""The project's admin menus each have an icon of their own (three of them once shared the tag)."""

from collections import defaultdict

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

pytestmark = pytest.mark.django_db

OURS = ("snippets.", "plugins.", "api.")


def is_ours(item) -> bool:
    """A menu item of the project: its view is ours, or it is a generic Wagtail view of one of our models."""
    if isinstance(item, SubmenuMenuItem):
        return False  # judged by its items
    try:
        view = resolve(item.url.split("?")[0]).func
    except Resolver404:
        return False  # Wagtail's help links leave the site
    view_class = getattr(view, "view_class", None)
    module = (view_class or view).__module__
    model = getattr(view, "view_initkwargs", {}).get("model") or getattr(view_class, "model", None)
    generic = module.startswith("wagtail.admin.views.generic")
    return module.startswith(OURS) or (generic and model is not None and model.__module__.startswith(OURS))


def our_menu_items(request):
    """(label, icon) of each of the project's menu items, and of each menu grouping only ours."""
    for item in admin_menu.menu_items_for_request(request):
        if isinstance(item, SubmenuMenuItem):
            children = item.menu.menu_items_for_request(request)
            ours = [child for child in children if is_ours(child)]
            if ours and len(ours) == len(children):
                yield item.label, item.icon_name
            yield from ((child.label, child.icon_name) for child in ours)
        elif is_ours(item):
            yield item.label, item.icon_name


def test_each_of_our_menu_items_has_its_own_icon(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    by_icon = defaultdict(list)
    for label, icon in our_menu_items(request):
        by_icon[icon].append(label)
    assert len(by_icon) > 20  # the Community and Forum menus, Open orders, the project's settings
    assert {icon: labels for icon, labels in by_icon.items() if len(labels) > 1} == {}
