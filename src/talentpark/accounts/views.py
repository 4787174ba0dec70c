"""Login, logout and a home page per role."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from talentpark.accounts import passwords, security
from talentpark.accounts.access import can, restrict, user_zone_ids
from talentpark.accounts.roles import Role
from talentpark.accounts.services import change_password
from talentpark.core import announcements, notify, shell, zone_versions
from talentpark.core.context import ActionContext


class LoginView(auth_views.LoginView):
    """登录, step one: the password. An account with an authenticator goes on to the code step,
    one that must enrol to 账号安全, an expired staff password to 修改密码 (accounts/security.py)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        step = security.next_step(self.request)
        if step is None:
            return url
        return security.step_url(step, "" if url == reverse("accounts:home") else url)


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: the old password, then a new one held to AUTH_PASSWORD_VALIDATORS; audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["rules"] = passwords.help_texts()
        ctx["expired"] = security.next_step(self.request) == security.PASSWORD
        ctx["next"] = security.safe_next(self.request, "")
        return ctx

    def form_valid(self, form: Any) -> HttpResponse:
        change_password(ActionContext.from_request(self.request), form)
        update_session_auth_hash(self.request, form.user)
        security.update(self.request, pw_expired=False)
        messages.success(self.request, gettext("密码已修改，下次请用新密码登录"))
        return HttpResponseRedirect(security.after_step(self.request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Chinese page instead of Django's English one (the reason is not shown)."""
    return render(request, "403_csrf.html", status=403)


def _count(model: Any, user: Any, **filters: Any) -> int:
    return restrict(model._default_manager.filter(**filters), user).count()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's home. Its content is cached per user while the zones it reads stand still
    (core.zone_versions): when everyone opens it at once, each person's first view renders it."""
    user: Any = request.user
    if user.role == Role.TALENT:
        request.pii_shown = True  # type: ignore[attr-defined]  # her masked phone: never in a shared cache
        # The zones where she has a record (a talent's person row in each, see talent_zone_ids).
        person_table = apps.get_model("registry", "Person")._meta.db_table  # by label: a higher layer
        mark: Any = zone_versions.versions_of(
            f"SELECT DISTINCT zone_id FROM {person_table} WHERE user_id = %s",  # noqa: S608
            [user.pk],
        )
    elif user.role == Role.PROVINCE:
        mark = zone_versions.all_versions()
    else:
        mark = zone_versions.versions(user_zone_ids(user))
    key = ":".join(
        str(part)
        for part in (
            *("home", user.pk, user.role, user.zone_id, user.department_id, user.effective_scope),
            *(user.province_id, get_language(), timezone.localdate()),
        )
    )
    content = zone_versions.cached(
        key, mark, lambda: render_to_string("accounts/_home.html", _home_context(user))
    )
    ctx: dict[str, Any] = {"role": user.role, "content": content, "notices": ""}
    mark = notify.unread(request)
    if mark[0] and user.role in (Role.TALENT, Role.HR):  # her unread notices, cached while they stand
        ctx["notices"] = zone_versions.cached(
            f"notices:{user.pk}:{get_language()}",
            mark,
            lambda: render_to_string(
                "core/_unread_notices.html",
                {"notices": list(notify.live(user).filter(read_at__isnull=True)[:5])},
            ),
        )
    return render(request, "accounts/home.html", ctx)


def _home_context(user: Any) -> dict[str, Any]:
    """The role's home: the announcements, then the sections every app registered for the role
    (``core.shell.home_section``), then, on staff homes, the apps' counts (``home_stat``)."""
    ctx: dict[str, Any] = {"role": user.role}
    if user.role != Role.PROVINCE:
        ctx["announcements"] = announcements.for_user(user, user_zone_ids(user))
    parts = []
    for section in shell.sections_for(user.role):
        section_ctx = section.context(user)
        if section_ctx is not None:
            parts.append(render_to_string(section.template, {"role": user.role, **section_ctx}))
    ctx["sections"] = mark_safe("".join(parts))  # noqa: S308  (rendered templates, escaped there)
    if user.role not in (Role.TALENT, Role.HR, Role.PROVINCE):
        ctx["cards"] = [
            (stat.label, _count(stat.model, user, **stat.filters), stat.url_name)
            for stat in shell.stats()
            if can(user, stat.model, "view")
        ]
    return ctx
