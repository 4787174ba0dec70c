"""Parsing the policy pages' POST data and shaping domain objects for templates.

No rules live here: the services validate; this module only turns request data into the
services' inputs (``VersionInput``, ``Confirmation``) and frozen decisions into rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from talentpark.policies import authoring
from talentpark.policies.authoring import PolicyInput
from talentpark.policies.catalogue import catalogue
from talentpark.policies.models import Claim, Policy, PolicyVersion
from talentpark.policies.redemption import Confirmation
from talentpark.policies.rules.decision import format_value
from talentpark.policies.versions import VersionInput

MAX_CLAUSES = 30
VERSION_FIELDS = (
    "target",
    "valid_from",
    "valid_to",
    "outcome_kind",
    "outcome_expr",
    "outcome_article",
    "tier_valid_years",
    "tier_validity",
    "benefit",
    "note",
)


@dataclass
class EditorState:
    """What the rule editor shows: the values typed (or loaded) and one row per clause."""

    values: dict[str, str]
    clauses: list[dict[str, str]] = field(default_factory=list)

    def to_input(self) -> VersionInput:
        v = self.values
        return VersionInput(
            target=v["target"],
            valid_from=v["valid_from"],
            valid_to=v["valid_to"] or None,
            clauses=[dict(c) for c in self.clauses],
            outcome_kind=v["outcome_kind"],
            outcome_expr=v["outcome_expr"],
            outcome_article=v["outcome_article"],
            tier_valid_years=v["tier_valid_years"],  # type: ignore[arg-type]  # the service parses it
            tier_validity=v.get("tier_validity", ""),
            benefit=v["benefit"],
            note=v["note"],
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def blank_clause() -> dict[str, str]:
    return {"article": "", "text": "", "expr": ""}


def editor_from_version(policy: Policy, version: PolicyVersion | None) -> EditorState:
    """A draft's values, or a new draft prefilled from ``version`` (the current rule), or defaults."""
    if version is None:
        target = policy.target if policy.target != Policy.Target.BOTH else PolicyVersion.Target.TALENT
        values = {
            "target": target,
            "valid_from": _text(policy.effective_from or timezone.localdate()),
            "valid_to": _text(policy.effective_to),
            "outcome_kind": (
                PolicyVersion.OutcomeKind.TIER
                if policy.is_certification
                else PolicyVersion.OutcomeKind.AMOUNT
            ),
            "outcome_expr": "",
            "outcome_article": "",
            "tier_valid_years": "3",
            "tier_validity": "",
            "benefit": "",
            "note": "",
        }
        return EditorState(values, [blank_clause()])
    values = {name: _text(getattr(version, name)) for name in VERSION_FIELDS if name != "tier_validity"}
    values["tier_validity"] = version.tier_validity_text
    clauses = [
        {"article": _text(c.get("article")), "text": _text(c.get("text")), "expr": _text(c.get("expr"))}
        for c in version.clauses
    ] or [blank_clause()]
    return EditorState(values, clauses)


def editor_from_post(post: QueryDict) -> EditorState:
    """The editor as typed; ``op`` (add / remove-<i>) adds or removes a clause row, nothing else."""
    values = {name: (post.get(name) or "").strip()[:2000] for name in VERSION_FIELDS}
    articles, texts, exprs = post.getlist("article"), post.getlist("text"), post.getlist("expr")
    n = min(max(len(articles), len(texts), len(exprs)), MAX_CLAUSES)
    clauses = [
        {
            "article": (articles[i] if i < len(articles) else "").strip()[:20],
            "text": (texts[i] if i < len(texts) else "").strip()[:300],
            "expr": (exprs[i] if i < len(exprs) else "").strip()[:2000],
        }
        for i in range(n)
    ]
    op = post.get("op", "")
    if op == "add" and len(clauses) < MAX_CLAUSES:
        clauses.append(blank_clause())
    elif op.startswith("remove-") and op[7:].isdigit() and len(clauses) > 1:
        index = int(op[7:])
        if index < len(clauses):
            del clauses[index]
    return EditorState(values, clauses or [blank_clause()])


def clause_rows(state: EditorState, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "index": i,
            "number": i + 1,
            **c,
            "errors": {part: errors.get(f"clauses.{i}.{part}", []) for part in ("article", "text", "expr")},
        }
        for i, c in enumerate(state.clauses)
    ]


def catalogue_rows(kind: str) -> dict[str, Any]:
    """The field catalogue as the office reads it beside the editor."""
    cat = catalogue(kind)
    return {
        "kind": kind,
        "label": cat.label,
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "type": f.type.label,
                "choices": "、".join(f.choices),
                "unit": f.unit,
                "description": f.description,
            }
            for f in cat
        ],
    }


def preview_as_of(valid_from: dt.date | None, valid_to: dt.date | None) -> dt.date:
    """Today, moved into the version's validity window (a future rule is previewed on its first day)."""
    day = timezone.localdate()
    if valid_from and day < valid_from:
        day = valid_from
    if valid_to and day > valid_to:
        day = valid_to
    return day


# --------------------------------------------------------------------------- claims

RESULT_LABELS = {True: gettext_noop("符合"), False: gettext_noop("不符合"), None: gettext_noop("无法判断")}


def _level_labels() -> dict[str, dict[int, str]]:
    """Levels that rules compare as numbers, by the labels a person knows them by."""
    from talentpark.core.codes import SkillLevel
    from talentpark.policies.catalogue import DEGREES, TITLES

    return {
        "degree_level": {i: label for i, (_code, label) in enumerate(DEGREES, start=1)},
        "title_level": {0: "无", **{i: label for i, (_code, label) in enumerate(TITLES, start=1)}},
        "skill_level": {0: "无", **{6 - int(c): str(label) for c, label in SkillLevel.choices if c != "0"}},
    }


def _shown(name: str, value: Any, f: Any) -> str:
    """Evidence as a person reads it: 职称等级：副高级, not 职称等级：3."""
    labels = _level_labels().get(name)
    if labels is not None and isinstance(value, int | float) and int(value) == value and int(value) in labels:
        return gettext(labels[int(value)])
    return format_value(value, f)


def decision_rows(claim: Claim) -> dict[str, Any]:
    """The frozen decision as a table: article, requirement, result, the values it read."""
    frozen: dict[str, Any] = claim.decision.clauses or {}
    fields = catalogue(claim.version.target).by_name
    rows = []
    for c in frozen.get("clauses", []):
        values = c.get("values") or {}
        rows.append(
            {
                "article": c.get("article", ""),
                "text": c.get("text", ""),
                "passed": c.get("passed"),
                "result": RESULT_LABELS.get(c.get("passed"), "无法判断"),
                "values": [
                    (fields[n].label if n in fields else n, _shown(n, v, fields.get(n)))
                    for n, v in values.items()
                ],
            }
        )
    outcome_values = [
        (fields[n].label if n in fields else n, _shown(n, v, fields.get(n)))
        for n, v in (frozen.get("outcome_values") or {}).items()
    ]
    return {
        "rows": rows,
        "outcome_article": frozen.get("outcome_article", ""),
        "outcome_values": outcome_values,
    }


def confirmation_from_post(post: QueryDict) -> Confirmation:
    return Confirmation(
        use_profile_account=post.get("account", "profile") != "other",
        payee_name=(post.get("payee_name") or "").strip()[:100],
        bank_name=(post.get("bank_name") or "").strip()[:60],
        bank_account=(post.get("bank_account") or "").strip()[:40],
        application={k: (post.get(k) or "")[:500] for k in post if k[:1] == "m" and k[1:].isdigit()},
    )


# --------------------------------------------------------------------------- the policy form

POLICY_FIELDS = (
    "title",
    "doc_number",
    "issuing_body",
    "category",
    "target",
    "published_on",
    "effective_from",
    "effective_to",
    "summary",
    "full_text",
    "mode",
    "recurrence",
    "approval_levels",
    "budget_total",
    "materials",
)
MAX_LEVELS = 3


def routing_rows(policy: Policy) -> list[tuple[int, str]]:
    """(level, who approves it) for each level of the policy; a level with no row is the office's."""
    named = {lv.number: lv.approver_label for lv in policy.levels.select_related("approver")}
    return [(n, named.get(n, gettext("人才办"))) for n in range(1, policy.approval_levels + 1)]


def policy_values(policy: Policy | None, zone_id: int) -> dict[str, Any]:
    """The form's values for ``policy`` (or a new policy's defaults)."""
    if policy is None:
        values = {name: "" for name in POLICY_FIELDS}
        values.update(
            category=Policy.Category.SUBSIDY,
            target=Policy.Target.TALENT,
            mode=Policy.Mode.AUTO,
            recurrence=Policy.Recurrence.ONCE,
            approval_levels="1",
        )
        approvers = authoring.default_approvers(zone_id, Policy.Category.SUBSIDY, MAX_LEVELS)
    else:
        values = {name: _text(getattr(policy, name)) for name in POLICY_FIELDS}
        named = dict(policy.levels.values_list("number", "approver_id"))
        approvers = [_text(named.get(n)) for n in range(1, MAX_LEVELS + 1)]
    for n, value in enumerate(approvers, start=1):
        values[f"approver_{n}"] = value
    return values


def policy_values_from_post(post: QueryDict) -> dict[str, str]:
    values = {name: (post.get(name) or "").strip()[:100_000] for name in POLICY_FIELDS}
    for n in range(1, MAX_LEVELS + 1):
        values[f"approver_{n}"] = (post.get(f"approver_{n}") or "").strip()[:12]
    return values


def policy_input(values: dict[str, str]) -> PolicyInput:
    return PolicyInput(
        **{name: values.get(name, "") for name in POLICY_FIELDS},
        approvers=[values.get(f"approver_{n}", "") for n in range(1, MAX_LEVELS + 1)],
    )
