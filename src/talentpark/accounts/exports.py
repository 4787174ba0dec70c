"""The 登录日志 export: every field in full (the list page shortens the browser), times as dates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from talentpark.accounts.models import LoginEvent
from talentpark.core.export import ExportSpec, register_export


def _login_log(listing: Any, user: Any) -> ExportSpec:
    def row(e: LoginEvent) -> list[Any]:
        who = e.user
        return [
            e.at,
            gettext(e.get_kind_display()),
            e.username,
            who.display_name if who else "",
            gettext(who.get_role_display()) if who else "",
            e.ip,
            e.user_agent,
            e.detail,
        ]

    headers = ["时间", "类型", "登录名", "姓名", "角色", "来源IP", "浏览器", "说明"]
    return ExportSpec(sheet=gettext("登录日志"), headers=[gettext(h) for h in headers], row=row)


register_export("accounts:loginlog", _login_log)
