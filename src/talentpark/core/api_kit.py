"""Shared API machinery: auth, error handlers, paginated list/detail endpoints from a Listing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from talentpark.accounts.access import can, get_for
from talentpark.core.listing import Listing
from talentpark.core.validation import error_list


class BearerToken(APIKeyHeader):
    """``Authorization: Bearer tp_…`` — only the token's SHA-256 is stored."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from talentpark.accounts.models import APIToken

        if not key or not key.startswith("Bearer "):
            return None
        token = (
            APIToken.objects.select_related("user")
            .filter(key_hash=APIToken.hash_key(key[7:].strip()), revoked=False)
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        if token.expires_at and token.expires_at <= timezone.now():
            return None
        APIToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.user = token.user
        return token.user


class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    detail: list[ErrorOut]


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, errors: list[dict[str, str]]) -> HttpResponse:
        return api.create_response(request, {"detail": errors}, status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, error_list(exc))

    @api.exception_handler(NinjaValidationError)
    def on_schema(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = []
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
            field = ".".join(loc) or "__all__"
            kind = err.get("type", "")
            reason = {
                "missing": "不能为空",
                "extra_forbidden": "不允许提交该字段",
                "int_parsing": "应为整数",
                "bool_parsing": "应为是/否",
                "string_too_long": "内容过长",
                "json_invalid": "请求体不是有效的JSON",
            }.get(kind, "格式不正确")
            items.append({"field": field, "message": f"{field}：{reason}"})
        return respond(request, 422, items)

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, [{"field": "__all__", "message": "无权执行此操作"}])

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, [{"field": "__all__", "message": "请先登录或提供有效的访问令牌"}])

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, [{"field": "__all__", "message": "记录不存在或无权查看"}])


def page_params(page: int, page_size: int) -> tuple[int, int]:
    page = max(1, page)
    page_size = min(max(1, page_size), settings.TALENTPARK_API_PAGE_MAX)
    return page, page_size


def add_listing_routes(router: Router, listing: Listing, out: type[Schema]) -> None:
    """GET /<slug>s (filtered, paginated) and GET /<slug>s/{id}, through the permission layer."""
    page_schema = type(
        f"{out.__name__}Page",
        (Schema,),
        {"__annotations__": {"count": int, "page": int, "page_size": int, "items": list[out]}},  # type: ignore[valid-type]
    )

    @router.get(
        f"/{listing.slug}s",
        response=page_schema,
        operation_id=f"list_{listing.slug}s",
        summary=f"{listing.title}列表",
    )
    def list_rows(request: HttpRequest, page: int = 1, page_size: int = 25) -> dict[str, Any]:
        if not can(request.user, listing.model, "view"):
            raise PermissionDenied
        page, page_size = page_params(page, page_size)
        qs, _ = listing.filtered(request)
        total = qs.count()
        start = (page - 1) * page_size
        return {
            "count": total,
            "page": page,
            "page_size": page_size,
            "items": list(qs[start : start + page_size]),
        }

    @router.get(
        f"/{listing.slug}s/{{int:pk}}",
        response=out,
        operation_id=f"get_{listing.slug}",
        summary=f"{listing.title}详情",
    )
    def get_row(request: HttpRequest, pk: int) -> Any:
        return get_for(listing.queryset(request.user), request.user, "view", pk=pk)


def session_and_token() -> list[Any]:
    return [SessionAuth(), BearerToken()]
