"""Login, logout and a home page per role."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop

from talentpark.accounts import passwords, security
from talentpark.accounts.access import can, has_perm, province_zone_q, restrict, talent_zone_ids
from talentpark.accounts.roles import Role
from talentpark.accounts.services import change_password
from talentpark.core import announcements, notify, zone_versions
from talentpark.core.context import ActionContext
from talentpark.core.models import Zone
from talentpark.housing.models import ApartmentUnit
from talentpark.policies import selectors as policy_selectors
from talentpark.policies.models import Policy
from talentpark.recruitment.models import PersonnelDemand, Position
from talentpark.registry.models import Enterprise, Person, Platform, Project, Talent
from talentpark.registry.services import held_tier


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
        mark: Any = zone_versions.versions_of(
            f"SELECT DISTINCT zone_id FROM {Person._meta.db_table} WHERE user_id = %s",  # noqa: S608
            [user.pk],
        )
    elif user.role == Role.PROVINCE:
        mark = zone_versions.all_versions()
    else:
        mark = zone_versions.versions([user.zone_id] if user.zone_id else [])
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
    ctx: dict[str, Any] = {"role": user.role}
    if user.role != Role.PROVINCE:
        zones = talent_zone_ids(user) if user.role == Role.TALENT else [user.zone_id] if user.zone_id else []
        ctx["announcements"] = announcements.for_user(user, zones)
    if user.role == Role.TALENT:
        talents = list(restrict(Talent.objects.select_related("zone", "employer", "person"), user))
        today = timezone.localdate()
        for t in talents:
            t.tier_held = held_tier(t, today)  # type: ignore[attr-defined]  # expired shows as such
        ctx["talents"] = talents
        ctx["policies"] = restrict(Policy.objects.filter(status=Policy.Status.PUBLISHED), user).only(
            "id", "title"
        )[:5]
        ctx["positions"] = restrict(
            Position.objects.filter(status=Position.Status.OPEN)
            .select_related("enterprise")
            .only("id", "title", "salary_min", "salary_max", "enterprise__name"),
            user,
        )[:5]
        ctx["todo"] = policy_selectors.claims_to_do(user)
        ctx["progress"] = policy_selectors.progress(user)
    elif user.role == Role.HR:
        ent = restrict(Enterprise.objects.all(), user, "change").first()
        ctx["enterprise"] = ent
        ctx["todo"] = policy_selectors.claims_to_do(user)
        ctx["progress"] = policy_selectors.progress(user)
        if ent:
            positions = restrict(Position.objects.filter(enterprise=ent, status=Position.Status.OPEN), user)
            demands = restrict(PersonnelDemand.objects.filter(status=PersonnelDemand.Status.OPEN), user)
            ctx.update(
                position_count=positions.count(),
                demand_count=demands.count(),
                positions=positions[:10],
                demands=demands[:10],
            )
    elif user.role == Role.PROVINCE:
        ctx["zones"] = (
            Zone.objects.filter(province_zone_q(user))
            .annotate(enterprises=Count("enterprise", distinct=True))
            .order_by("id")
        )
        talent_counts = dict(
            Talent.objects.filter(province_zone_q(user, "zone__division__code"))
            .values_list("zone_id")
            .annotate(n=Count("id"))
            .values_list("zone_id", "n")
        )
        for z in ctx["zones"]:
            z.talent_count = talent_counts.get(z.id, 0)
    else:
        ctx["cards"] = [
            (label, _count(model, user, **flt), url)
            for label, model, flt, url in (
                (gettext_noop("人才"), Talent, {}, "registry:talent_list"),
                (gettext_noop("企业"), Enterprise, {}, "registry:enterprise_list"),
                (gettext_noop("创新平台"), Platform, {}, "registry:platform_list"),
                (gettext_noop("项目"), Project, {}, "registry:project_list"),
                (gettext_noop("在招岗位"), Position, {"status": "open"}, "recruitment:position_list"),
                (gettext_noop("人才需求"), PersonnelDemand, {"status": "open"}, "recruitment:demand_list"),
                (
                    gettext_noop("可分配公寓"),
                    ApartmentUnit,
                    {"status": "available"},
                    "housing:apartment_list",
                ),
                (gettext_noop("政策"), Policy, {}, "policies:policy_list"),
            )
            if can(user, model, "view")
        ]
        if has_perm(user, "policies.claim.approve") or has_perm(user, "policies.review.view"):
            counts = policy_selectors.office_counts(user)
            ctx["redemption"] = [
                (label, counts[key], url)
                for label, key, url, perm in (
                    (
                        gettext_noop("审核中"),
                        "reviewing",
                        reverse("policies:claim_batch"),
                        "policies.claim.approve",
                    ),
                    (
                        gettext_noop("待拨付"),
                        "approved",
                        reverse("policies:claim_list") + "?status=approved",
                        "policies.claim.pay",
                    ),
                    (
                        gettext_noop("待处理复核"),
                        "open_reviews",
                        reverse("policies:review_list"),
                        "policies.review.view",
                    ),
                )
                if has_perm(user, perm)
            ]
    return ctx
