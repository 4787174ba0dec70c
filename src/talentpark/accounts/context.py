"""Template context: the signed-in user's role and what the navigation may show.

Staff see grouped menus (so the bar fits 1280 px however many registries there are);
a talent sees her own pages only: home, her profile, policies, her claims, jobs,
apartments and her password — never a staff registry.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from talentpark.accounts.access import has_perm
from talentpark.accounts.roles import Role
from talentpark.core import notify, shell

NavItem = shell.NavItem


def _nav_groups() -> list[tuple[str, list[NavItem]]]:
    return shell.nav_groups()


def _talent_nav() -> list[NavItem]:
    return shell.talent_items()


def all_nav_items() -> list[NavItem]:
    """Every entry the navigation can show (the i18n inventory reads their labels)."""
    return [item for _group, items in shell.nav_groups() for item in items] + shell.talent_items()


def _allowed(user: Any, items: list[NavItem]) -> list[tuple[str, str]]:
    return [(label, url_name) for label, url_name, perm in items if perm is None or has_perm(user, perm)]


def nav_for(user: Any) -> dict[str, Any]:
    """``nav_items`` (a flat bar: the talent's) or ``nav_groups`` (staff menus: [(label, items)])."""
    if user.role == Role.TALENT:
        return {"nav_items": _allowed(user, _talent_nav()), "nav_groups": []}
    groups = [(label, allowed) for label, items in _nav_groups() if (allowed := _allowed(user, items))]
    return {"nav_items": [], "nav_groups": groups}


# The navigation depends on the role's permissions (and the 系统管理员's) and the language only:
# rendered once for each.
_NAV_HTML: dict[tuple[str, bool, str], str] = {}


def nav_html(user: Any) -> str:
    key = (user.role, bool(getattr(user, "is_superuser", False)), get_language())
    html = _NAV_HTML.get(key)
    if html is None:
        html = _NAV_HTML[key] = render_to_string("_nav.html", nav_for(user))
    return html


def principal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_html": nav_html(user),
        "role_label": user.get_role_display(),  # type: ignore[union-attr]
        "unread_notices": notify.unread(request)[0],
    }
