"""招才引智's pages. Thin: parse, check the permission and the row's scope, call ``services``; a
``ValidationError`` re-shows the form with every bad field named (status 400); a
:class:`~talentpark.recruitment.services.Refused` change is a message, nothing saved.

- the talent: 岗位大厅 (filters, her fit on every card, saved searches), a job's page (its fit
  explained, one-click application), 我的求职 (applications and their steps, interviews to pick a
  time for, recommended jobs), 求职意向;
- the enterprise: 我的岗位 (post, edit, submit, close), 应聘管理 (the pipeline), an application's
  page (résumé, fit, history, the next step, interviews, her phone once she accepted), a job's
  best-fitting talents, its personnel demands;
- the office: 岗位审核, and every page of its zone read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from talentpark.accounts.access import get_for, has_perm, restrict, talent_zone_ids
from talentpark.core.codes import Degree
from talentpark.core.context import ActionContext
from talentpark.core.models import Division
from talentpark.core.roles import Role
from talentpark.recruitment import access, facts, matching, occupations, services
from talentpark.recruitment.models import (
    Application,
    EmploymentType,
    Interview,
    JobSeeker,
    PersonnelDemand,
    Position,
    SavedSearch,
)
from talentpark.registry.models import IndustryChain, Person
from talentpark.registry.shell import hr_enterprise

AS = Application.Stage
PIPELINE_STAGES = (AS.NEW, AS.SCREENED, AS.INTERVIEW, AS.OFFER, AS.HIRED, AS.REJECTED)
RECOMMENDED = 10
SALARY_STEPS = ("5000", "8000", "10000", "15000", "20000", "30000")


def _ctx(request: HttpRequest, reason: str) -> ActionContext:
    return ActionContext.from_request(request, reason=reason)


def _need(request: HttpRequest, perm: str) -> Any:
    user: Any = request.user
    if not has_perm(user, perm):
        raise PermissionDenied
    return user


def _occupation_name(code: str) -> str:
    found = occupations.get(code)
    return (found.name or found.code) if found else code


def _district_names(codes: list[str] | set[str]) -> dict[str, str]:
    return dict(Division.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _explain(job: matching.JobFacts, seeker: matching.SeekerFacts) -> matching.Match:
    names = _district_names({job.district, *seeker.districts} - {""})
    return matching.explain(job, seeker, _occupation_name, lambda c: names.get(c, c))


def _my_person(user: Any, zone_id: int) -> Person | None:
    return services.person_of(user, zone_id)


def _my_zone(user: Any) -> int | None:
    zones = talent_zone_ids(user) if user.role == Role.TALENT else [user.zone_id] if user.zone_id else []
    return zones[0] if zones else None


def _form_lists(zone_id: int) -> dict[str, Any]:
    return {
        "degrees": Degree.choices,
        "types": EmploymentType.choices,
        "districts": services.districts(zone_id),
        "chains": list(
            IndustryChain.objects.filter(zone_id=zone_id).order_by("pk").values_list("pk", "name")
        ),
    }


def describe(params: dict[str, str]) -> str:
    """A saved search's conditions as she reads them (月薪≥10000 · 任城区 · 本科 …)."""
    words = []
    if params.get("q"):
        words.append(f"“{params['q']}”")
    if params.get("salary"):
        words.append(gettext("月薪≥%(n)s") % {"n": params["salary"]})
    if params.get("district"):
        words.append(_district_names([params["district"]]).get(params["district"], params["district"]))
    if params.get("degree"):
        words.append(str(dict(Degree.choices).get(params["degree"], params["degree"])))
    if params.get("chain", "").isdigit():
        words.append(
            str(
                IndustryChain.objects.filter(pk=int(params["chain"])).values_list("name", flat=True).first()
                or ""
            )
        )
    if params.get("type"):
        words.append(str(dict(EmploymentType.choices).get(params["type"], params["type"])))
    if params.get("occupation"):
        words.append(_occupation_name(params["occupation"]))
    return " · ".join(w for w in words if w)


# -- the talent: the marketplace -------------------------------------------------------------------


@login_required
@require_safe
def jobs(request: HttpRequest) -> HttpResponse:
    """岗位大厅: the zone's public positions, filtered; her fit on each card when she is a talent."""
    user = _need(request, "recruitment.position.view")
    zone_id = _my_zone(user)
    if zone_id is None:
        raise Http404
    params = services.clean_params(request.GET.dict())
    qs = services.filter_positions(
        services.public_positions([zone_id]).select_related("enterprise", "district"), params
    ).order_by("-published_on", "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    person = _my_person(user, zone_id)
    if person is not None:
        me = facts.person_facts(person)
        applied = set(
            Application.objects.filter(person=person, position__in=rows).values_list("position_id", flat=True)
        )
        for p in rows:
            p.fit = matching.points(facts.job_of(p), me)  # type: ignore[attr-defined]
            p.applied = p.pk in applied  # type: ignore[attr-defined]
    context = {
        "page": page,
        "rows": rows,
        "params": params,
        "query": request.GET.urlencode(),
        "person": person,
        "saved": list(restrict(SavedSearch.objects.all(), user)[:10]) if person else [],
        "salary_steps": SALARY_STEPS,
        **_form_lists(zone_id),
    }
    return render(request, "recruitment/jobs.html", context)


def _position_for(request: HttpRequest, pk: int, action: str = "view") -> Position:
    qs = restrict(Position.objects.select_related("enterprise", "district", "zone"), request.user, action)
    found: Position = get_for(qs, request.user, action, pk=pk)
    return found


@login_required
@require_safe
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A position's page: what it asks, her fit part by part, and the one-click application."""
    user = _need(request, "recruitment.position.view")
    position = _position_for(request, pk)
    person = _my_person(user, position.zone_id)
    context: dict[str, Any] = {
        "position": position,
        "occupation": occupations.get(position.occupation),
        "public": services.is_public(position),
        "person": person,
        "own": user.role == Role.HR and position.enterprise_id == getattr(hr_enterprise(user), "pk", None),
    }
    if person is not None:
        context["match"] = _explain(facts.job_of(position), facts.person_facts(person))
        context["application"] = Application.objects.filter(person=person, position=position).first()
        context["resume"] = services.resume_of(person)
        context["has_seeker"] = JobSeeker.objects.filter(person=person).exists()
    if context["own"] or user.role == Role.OFFICE:
        context["counts"] = dict(
            restrict(Application.objects.filter(position=position), user)
            .values_list("stage")
            .annotate(n=Count("id"))
            .values_list("stage", "n")
        )
    return render(request, "recruitment/job.html", context)


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = _need(request, access.APPLY)
    position = _position_for(request, pk)
    person = _my_person(user, position.zone_id)
    if person is None:
        raise Http404
    try:
        services.apply(
            _ctx(request, "投递简历"),
            person,
            position,
            note=request.POST.get("note", ""),
            source=Application.Source.MATCH
            if request.POST.get("source") == "match"
            else Application.Source.MARKET,
        )
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("已投递，企业的每一步进展都会通知您"))
    return redirect("recruitment:job", pk=position.pk)


@login_required
@require_POST
def search_save(request: HttpRequest) -> HttpResponse:
    user = _need(request, access.APPLY)
    zone_id = _my_zone(user)
    if zone_id is None:
        raise Http404
    try:
        services.save_search(
            _ctx(request, "保存岗位订阅"), user, zone_id, request.POST.get("name", ""), request.POST.dict()
        )
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    else:
        messages.success(request, gettext("已订阅：有符合条件的新岗位时会通知您"))
    return redirect(
        f"{reverse('recruitment:jobs')}?{services.query(services.clean_params(request.POST.dict()))}"
    )


@login_required
@require_POST
def search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _need(request, access.APPLY)
    saved = get_for(restrict(SavedSearch.objects.all(), user), user, "view", pk=pk)
    saved.delete()
    messages.success(request, gettext("已取消订阅"))
    return redirect("recruitment:mine")


# -- the talent: her applications ------------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """我的求职: her applications with every step, interviews to answer, jobs recommended for her."""
    user = _need(request, access.APPLY)
    zone_id = _my_zone(user)
    person = _my_person(user, zone_id) if zone_id else None
    if person is None:
        return render(request, "recruitment/mine.html", {"person": None})
    apps = list(
        restrict(Application.objects.filter(person=person), user)
        .select_related("position__enterprise")
        .prefetch_related("events", "interviews__slots")
        .order_by("-created_at")[:50]
    )
    for a in apps:
        a.public_events = [e for e in a.events.all() if e.public]  # type: ignore[attr-defined]
        a.open_interview = next(  # type: ignore[attr-defined]
            (
                i
                for i in a.interviews.all()
                if i.status in (Interview.Status.OFFERED, Interview.Status.ACCEPTED)
            ),
            None,
        )
    me = facts.person_facts(person)
    applied = {a.position_id for a in apps}
    public = services.public_positions([person.zone_id]).exclude(pk__in=applied)
    index = matching.Index(facts.job_facts(public), [])
    best = index.best_jobs(me, RECOMMENDED)
    by_id = Position.objects.select_related("enterprise").in_bulk([j.id for _, j in best])
    recommended = [(score, by_id[j.id], _explain(j, me)) for score, j in best if j.id in by_id]
    context = {
        "person": person,
        "apps": apps,
        "recommended": recommended,
        "seeker": JobSeeker.objects.filter(person=person).first(),
        "saved": [(s, describe(s.params)) for s in restrict(SavedSearch.objects.all(), user)],
        "now": timezone.now(),
    }
    return render(request, "recruitment/mine.html", context)


def _my_interview(request: HttpRequest, pk: int) -> Interview:
    qs = restrict(Interview.objects.select_related("application"), request.user)
    found: Interview = get_for(qs, request.user, "view", pk=pk)
    if getattr(request.user, "role", None) != Role.TALENT:
        raise PermissionDenied
    return found


def _run(request: HttpRequest, action: Callable[[], Any], done: str) -> None:
    try:
        action()
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


@login_required
@require_POST
def pick_slot(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.APPLY)
    interview = _my_interview(request, pk)
    _run(
        request,
        lambda: services.pick_slot(_ctx(request, "确认面试时间"), interview, request.POST.get("slot")),
        gettext("已确认面试时间，企业可通过您的手机号联系您"),
    )
    return redirect("recruitment:mine")


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.APPLY)
    interview = _my_interview(request, pk)
    _run(
        request,
        lambda: services.decline_interview(_ctx(request, "婉拒面试"), interview),
        gettext("已婉拒面试"),
    )
    return redirect("recruitment:mine")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _need(request, access.APPLY)
    app = get_for(restrict(Application.objects.all(), user), user, "view", pk=pk)
    _run(request, lambda: services.withdraw(_ctx(request, "撤回申请"), app), gettext("已撤回申请"))
    return redirect("recruitment:mine")


@login_required
@require_http_methods(["GET", "POST"])
def seeker(request: HttpRequest) -> HttpResponse:
    """求职意向: what only she knows (her record already says her degree and majors)."""
    user = _need(request, access.APPLY)
    zone_id = _my_zone(user)
    person = _my_person(user, zone_id) if zone_id else None
    if person is None or zone_id is None:
        raise Http404
    current = JobSeeker.objects.filter(person=person).first()
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "occupations": list(current.occupations) if current else [],
        "skills": "、".join(current.skills) if current else "",
        "experience_years": current.experience_years if current else 0,
        "expected_salary": current.expected_salary or "" if current else "",
        "districts": list(current.districts) if current else [],
        "employment_type": current.employment_type if current else EmploymentType.FULL_TIME,
        "summary": current.summary if current else "",
        "open_to_offers": current.open_to_offers if current else False,
    }
    if request.method == "POST":
        data = {
            **request.POST.dict(),
            "occupations": [c for c in request.POST.getlist("occupations") if c],
            "districts": request.POST.getlist("districts"),
        }
        try:
            services.save_seeker(_ctx(request, "保存求职意向"), person, data)
        except ValidationError as exc:
            errors = exc.message_dict
            values = {**data, "open_to_offers": bool(data.get("open_to_offers"))}
        else:
            messages.success(request, gettext("求职意向已保存，推荐岗位已按新意向更新"))
            return redirect("recruitment:mine")
    chosen = [occupations.get(c) for c in values["occupations"]]
    context = {
        "values": values,
        "errors": errors,
        "resume": services.resume_of(person),
        "chosen_occupations": [o for o in chosen if o is not None],
        **_form_lists(zone_id),
    }
    return render(request, "recruitment/seeker.html", context, status=400 if errors else 200)


@login_required
@require_safe
def occupation_search(request: HttpRequest) -> HttpResponse:
    """The occupation picker's suggestions (htmx): 细类 whose name or code matches the text."""
    text = request.GET.get("q", "").strip()[:30]
    found = [o for o in occupations.search(text, limit=40) if o.level == 4][:15] if text else []
    return render(
        request,
        "recruitment/_occupations.html",
        {"found": found, "field": request.GET.get("field", "occupation")},
    )


# -- the enterprise: its positions -----------------------------------------------------------------


def _enterprise(request: HttpRequest) -> Any:
    _need(request, access.POST)
    ent = hr_enterprise(request.user)
    if ent is None:
        raise Http404
    return ent


@login_required
@require_safe
def posts(request: HttpRequest) -> HttpResponse:
    """我的岗位: every position of the enterprise by state, with its applicants per stage."""
    ent = _enterprise(request)
    rows = list(
        restrict(Position.objects.filter(enterprise=ent), request.user, "change").order_by("-id")[:200]
    )
    counts: dict[int, dict[str, int]] = {}
    for pid, stage, n in (
        Application.objects.filter(position__in=rows)
        .values_list("position_id", "stage")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(pid, {})[stage] = n
    for p in rows:
        c = counts.get(p.pk, {})
        p.applicants = sum(c.values())  # type: ignore[attr-defined]
        p.fresh = c.get(AS.NEW, 0)  # type: ignore[attr-defined]
        p.hired = c.get(AS.HIRED, 0)  # type: ignore[attr-defined]
        p.expired = p.status == Position.Status.OPEN and not services.is_public(p)  # type: ignore[attr-defined]
    demands = list(
        restrict(PersonnelDemand.objects.filter(enterprise=ent), request.user).order_by("-id")[:50]
    )
    return render(request, "recruitment/posts.html", {"enterprise": ent, "rows": rows, "demands": demands})


def _position_values(position: Position | None) -> dict[str, Any]:
    if position is None:
        return {"headcount": 1, "min_experience": 0, "employment_type": EmploymentType.FULL_TIME}
    values = {name: getattr(position, name) for name in services.POSITION_FIELDS if name != "district"}
    values["district"] = position.district_id or ""
    values["skills"] = "、".join(position.skills or [])
    values["closes_on"] = position.closes_on.isoformat() if position.closes_on else ""
    return values


@login_required
@require_http_methods(["GET", "POST"])
def post_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Post a position or edit one (saving an open one sends it back to review)."""
    ent = _enterprise(request)
    position = _position_for(request, pk, "change") if pk else None
    errors: dict[str, list[str]] = {}
    values = _position_values(position)
    if request.method == "POST":
        values = request.POST.dict()
        submit = request.POST.get("submit") == "1"
        try:
            saved = services.save_position(_ctx(request, "发布岗位"), ent, values, position, submit=submit)
        except ValidationError as exc:
            errors = exc.message_dict
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect("recruitment:posts")
        else:
            messages.success(
                request,
                gettext("已提交审核，人才办审核通过后公开")
                if saved.status == Position.Status.PENDING
                else gettext("草稿已保存"),
            )
            return redirect("recruitment:posts")
    context = {
        "position": position,
        "values": values,
        "errors": errors,
        "categories": Position.Category.choices,
        "occupation": occupations.get(str(values.get("occupation") or "")),
        "suggested": occupations.suggest(str(values.get("title") or ""))
        if values.get("title") and not values.get("occupation")
        else None,
        "today": timezone.localdate(),
        **_form_lists(ent.zone_id),
    }
    return render(request, "recruitment/post_form.html", context, status=400 if errors else 200)


@login_required
@require_POST
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _enterprise(request)
    position = _position_for(request, pk, "change")
    if action == "submit":
        _run(
            request,
            lambda: services.submit_position(_ctx(request, "提交岗位审核"), position),
            gettext("已提交审核"),
        )
    elif action == "close":
        _run(
            request,
            lambda: services.close_position(_ctx(request, "结束招聘"), position),
            gettext("岗位已结束招聘"),
        )
    else:
        raise Http404
    return redirect("recruitment:posts")


@login_required
@require_safe
def talents_for(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's best-fitting talents among those who chose to be visible, each fit explained."""
    user = _need(request, access.MATCH)
    position = _position_for(request, pk, "change" if user.role == Role.HR else "view")
    job_facts = facts.job_of(position)
    visible = restrict(JobSeeker.objects.filter(zone_id=position.zone_id), user)
    index = matching.Index([], facts.seeker_facts(visible))
    best = index.best_seekers(job_facts, 20)
    people = Person.objects.in_bulk([s.id for _, s in best])
    applied = set(Application.objects.filter(position=position).values_list("person_id", flat=True))
    rows = [
        {
            "score": score,
            "person": people.get(s.id),
            "match": _explain(job_facts, s),
            "applied": s.id in applied,
            "seeker": s,
        }
        for score, s in best
    ]
    return render(request, "recruitment/talents_for.html", {"position": position, "rows": rows})


# -- the enterprise: the pipeline ------------------------------------------------------------------


@login_required
@require_safe
def pipeline(request: HttpRequest) -> HttpResponse:
    """应聘管理: the enterprise's applicants by stage (or the zone's, read-only, for the office)."""
    user = _need(request, access.MATCH)
    qs = restrict(Application.objects.all(), user).select_related("position", "enterprise")
    position_id = request.GET.get("position", "")
    if position_id.isdigit():
        qs = qs.filter(position_id=int(position_id))
    columns = []
    for stage in PIPELINE_STAGES:
        stage_qs = qs.filter(stage=stage)
        columns.append(
            {
                "stage": stage,
                "label": AS(stage).label,
                "count": stage_qs.count(),
                "rows": list(stage_qs.order_by("-updated_at")[:30]),
            }
        )
    positions = (
        restrict(Position.objects.all(), user, "change").order_by("-id").values_list("pk", "title")[:200]
        if user.role == Role.HR
        else []
    )
    return render(
        request,
        "recruitment/pipeline.html",
        {
            "columns": columns,
            "positions": positions,
            "position_id": position_id,
            "office": user.role == Role.OFFICE,
        },
    )


def _application(request: HttpRequest, pk: int) -> Application:
    qs = restrict(
        Application.objects.select_related("position__enterprise", "person", "enterprise"), request.user
    )
    found: Application = get_for(qs, request.user, "view", pk=pk)
    return found


@login_required
@require_safe
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """An application as the enterprise (or the office) sees it; she sees hers on 我的求职."""
    user = _need(request, access.APPLICATIONS)
    app = _application(request, pk)
    if user.role == Role.TALENT:
        return redirect("recruitment:mine")
    person = app.person
    seeker_facts = facts.person_facts(person)
    interviews = list(app.interviews.prefetch_related("slots"))
    phone = services.applicant_phone(_ctx(request, "查看求职人联系方式"), app) if user.role == Role.HR else ""
    context = {
        "app": app,
        "resume": app.resume,
        "match": _explain(facts.job_of(app.position), seeker_facts),
        "events": list(app.events.select_related("actor")),
        "interviews": interviews,
        "phone": phone,
        "phone_visible": services.phone_visible(app),
        "next_stages": [
            s for s in services.TRANSITIONS.get(app.stage, set()) if s not in (AS.REJECTED, AS.INTERVIEW)
        ],
        "can_invite": app.stage in (AS.SCREENED, AS.INTERVIEW),
        "can_reject": AS.REJECTED in services.TRANSITIONS.get(app.stage, set()),
        "reasons": Application.Reason.choices,
        "manage": has_perm(user, access.PIPELINE),
        "modes": Interview.Mode.choices,
        "slot_min": timezone.localtime() + dt.timedelta(hours=1),
    }
    return render(request, "recruitment/application.html", context)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.PIPELINE)
    app = get_for(restrict(Application.objects.all(), request.user, "change"), request.user, "change", pk=pk)
    to = request.POST.get("to", "")
    if to not in AS.values:
        raise Http404
    _run(
        request,
        lambda: services.move(
            _ctx(request, "推进应聘进度"),
            app,
            to,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        ),
        gettext("已更新为“%(s)s”，已通知求职人") % {"s": gettext(AS(to).label)},
    )
    return redirect("recruitment:application", pk=app.pk)


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.PIPELINE)
    app = get_for(restrict(Application.objects.all(), request.user, "change"), request.user, "change", pk=pk)
    _run(
        request,
        lambda: services.invite(
            _ctx(request, "邀请面试"),
            app,
            request.POST.getlist("slots"),
            mode=request.POST.get("mode", Interview.Mode.ONSITE),
            place=request.POST.get("place", ""),
            minutes=request.POST.get("minutes") or 30,
        ),
        gettext("已发出面试邀请，求职人选定时间后会通知您"),
    )
    return redirect("recruitment:application", pk=app.pk)


# -- demands ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def demand_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _need(request, access.DEMAND_CHANGE)
    ent = hr_enterprise(request.user)
    if ent is None:
        raise Http404
    demand = (
        get_for(restrict(PersonnelDemand.objects.all(), request.user), request.user, "view", pk=pk)
        if pk
        else None
    )
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = (
        {
            n: getattr(demand, n)
            for n in ("title", "occupation", "major", "min_degree", "count", "urgency", "year", "note")
        }
        if demand
        else {"count": 1, "year": timezone.localdate().year}
    )
    if request.method == "POST":
        values = request.POST.dict()
        try:
            services.save_demand(_ctx(request, "填报人才需求"), ent, values, demand)
        except ValidationError as exc:
            errors = exc.message_dict
        except services.Refused as exc:
            messages.error(request, str(exc))
            return redirect("recruitment:posts")
        else:
            messages.success(request, gettext("人才需求已保存"))
            return redirect("recruitment:posts")
    context = {
        "demand": demand,
        "values": values,
        "errors": errors,
        "degrees": Degree.choices,
        "urgencies": PersonnelDemand.Urgency.choices,
        "occupation": occupations.get(str(values.get("occupation") or "")),
    }
    return render(request, "recruitment/demand_form.html", context, status=400 if errors else 200)


@login_required
@require_POST
def demand_status(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.DEMAND_CHANGE)
    demand = get_for(restrict(PersonnelDemand.objects.all(), request.user), request.user, "view", pk=pk)
    status = request.POST.get("status", "")
    _run(
        request,
        lambda: services.set_demand_status(_ctx(request, "更新人才需求"), demand, status),
        gettext("已更新"),
    )
    return redirect("recruitment:posts")


# -- the office ------------------------------------------------------------------------------------


@login_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    """岗位审核: submitted positions, oldest first, each with what the public would see."""
    user = _need(request, access.REVIEW)
    pending = (
        restrict(Position.objects.filter(status=Position.Status.PENDING), user)
        .select_related("enterprise", "district")
        .order_by("id")
    )
    page = Paginator(pending, 20).get_page(request.GET.get("page"))
    for p in page.object_list:
        p.occupation_obj = occupations.get(p.occupation)  # type: ignore[attr-defined]
    return render(request, "recruitment/review.html", {"page": page})


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, access.REVIEW)
    position = _position_for(request, pk)
    approve = request.POST.get("decision") == "approve"
    _run(
        request,
        lambda: services.review_position(
            _ctx(request, "审核岗位"), position, approve, request.POST.get("review_note", "")
        ),
        gettext("已通过，岗位已公开") if approve else gettext("已退回企业修改"),
    )
    return redirect("recruitment:review")
