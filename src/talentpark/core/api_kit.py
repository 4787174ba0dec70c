"""Shared API machinery: auth, input types, Chinese errors, paginated list/detail endpoints.

Every input is checked and converted here, before a service or a query sees it, so no
endpoint repeats a rule and no bad value reaches the database as a 500:

* **Types** for what endpoints declare: ``RecordId``, ``PageNumber``, ``PageSize``, ``Count``
  (integers bounded by the column they land in), ``Amount`` (万元, ``numeric(14, 2)``),
  ``Day`` (the date formats people type, between 1900 and 2100) and ``FreeText`` (text a
  spreadsheet would run as a formula is refused, as the Excel import does). The bounds are in
  the OpenAPI schema too.
* **One guard for every request** (``install_error_handlers``): a NUL character in any query
  parameter or JSON string is refused naming the field (PostgreSQL cannot store it).
* **Errors**: every refusal is ``{"detail": [{"field", "message"}]}`` with the message
  ``"<中文字段名>：<原因>"``; the OpenAPI schema declares the error answers (``answers``).
* **Auth**: ``Authorization: Bearer <token>`` (no CSRF: a token is not sent by a browser on its
  own), or the session, which keeps Django's CSRF check for unsafe methods.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Annotated, Any, get_args

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import AfterValidator, BaseModel, BeforeValidator, create_model
from pydantic_core import PydanticCustomError

from talentpark.core import parameters
from talentpark.core.access import can, get_for
from talentpark.core.listing import Listing
from talentpark.core.validation import error_list, parse_date, starts_like_formula

# -- bounds: the narrowest column each kind of value is stored in --------------------------
INT_MAX = 2**31 - 1  # PostgreSQL integer (IntegerField, PositiveIntegerField)
BIGINT_MAX = 2**63 - 1  # bigint (primary keys)
PAGE_MAX = 10_000_000  # offsets stay far inside bigint at the largest page size
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
FORMULA_REASON = "不能以 = + - @ 等公式符号开头（可能是公式），请改为纯文本"  # as the Excel import says


def _refuse(reason: str) -> PydanticCustomError:
    return PydanticCustomError("talentpark", "{reason}", {"reason": reason})


def _not_a_formula(text: str) -> str:
    if starts_like_formula(text):
        raise _refuse(gettext(FORMULA_REASON))
    return text


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        if not isinstance(value, str):
            raise _refuse("日期格式应为YYYY-MM-DD")
        try:
            value = parse_date(value)
        except ValidationError as exc:
            raise _refuse(exc.messages[0]) from None
    if not DATE_MIN <= value <= DATE_MAX:
        raise _refuse(f"日期应在{DATE_MIN.year}年至{DATE_MAX.year}年之间")
    return value


RecordId = Annotated[int, Field(ge=1, le=BIGINT_MAX, title="记录编号")]
PageNumber = Annotated[int, Field(ge=1, le=PAGE_MAX, title="页码")]
PageSize = Annotated[int, Field(ge=1, le=INT_MAX, title="每页条数", description="超过上限按上限返回")]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]
Day = Annotated[dt.date, BeforeValidator(_day)]
FreeText = Annotated[str, AfterValidator(_not_a_formula)]
Keyword = Annotated[str, Field(title="关键词")]


# -- auth ------------------------------------------------------------------------------------
# fn(key) -> the active user a bearer token belongs to, or None; the app that stores the tokens
# registers it (accounts: ``APIToken.user_for``), so the kernel names no model of a higher app.
_token_user: Callable[[str], Any] | None = None


def register_token_auth(fn: Callable[[str], Any]) -> None:
    """How a bearer token finds its user (once, at start-up)."""
    global _token_user
    _token_user = fn


class BearerToken(HttpBearer):
    """``Authorization: Bearer tp_…`` — only the token's SHA-256 is stored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token or _token_user is None:
            return None
        user = _token_user(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(Exception):
    """A session request changing data without Django's CSRF token."""


class SessionWithCsrf(SessionAuth):
    """The logged-in session; unsafe methods need the CSRF token, as the pages do.

    It never answers for a request that carries an ``Authorization`` header, so a wrong
    token is a 401 even from a browser with a session, and a token client needs no CSRF.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed
        return user


def session_and_token() -> list[Any]:
    return [BearerToken(), SessionWithCsrf()]


# -- errors ----------------------------------------------------------------------------------
class ErrorOut(Schema):
    field: str
    message: str


class ErrorsOut(Schema):
    detail: list[ErrorOut]


def answers(out: Any, *errors: int) -> dict[int, Any]:
    """``response=`` for an endpoint: its 200 schema, and 401/422 plus ``errors`` as ErrorsOut."""
    return {200: out, **{code: ErrorsOut for code in sorted({401, 422, *errors})}}


_REASONS = {
    "missing": "不能为空",
    "extra_forbidden": "不允许提交该字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为是/否",
    "bool_type": "应为是/否",
    "string_type": "应为文本",
    "string_too_long": "不能超过{max_length}个字",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "应大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "应小于{lt}",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_max_digits": "数字位数过多（最多{max_digits}位）",
    "decimal_whole_digits": "数值过大（整数部分最多{whole_digits}位）",
    "decimal_max_places": "最多{decimal_places}位小数",
    "date_parsing": "日期格式应为YYYY-MM-DD",
    "date_type": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为YYYY-MM-DD",
    "json_invalid": "请求体不是有效的JSON",
    "model_type": "应为JSON对象",
    "model_attributes_type": "应为JSON对象",
    "dict_type": "应为JSON对象",
    "list_type": "应为列表",
    "enum": "不是有效选项",
    "literal_error": "不是有效选项",
}


def _reason(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "talentpark":
        return str(err.get("msg", ""))
    template = _REASONS.get(kind, "格式不正确")
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0] or "格式不正确"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (``X``, ``X | None``, ``Annotated[X, …]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# The kit's parameters have the same name everywhere; a function parameter's own title is
# replaced by django-ninja's, so these are their labels.
_PARAM_LABELS = {"pk": "记录编号", "page": "页码", "page_size": "每页条数", "q": "关键词"}


def _title(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The Chinese title of the field at ``loc`` inside ``model`` (None when it has none)."""
    current: type[BaseModel] | None = model
    title = None
    for part in loc:
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return None
        info = current.model_fields[part]
        title = info.title
        current = _model_in(info.annotation)
    if title is None and loc:
        title = _PARAM_LABELS.get(str(loc[-1]))
    return title


def _public_path(model: Any, loc: tuple[Any, ...]) -> str:
    """``("payload", "name")`` → ``"name"``: the field as the client sent it."""
    parts = list(loc)
    fields = getattr(model, "model_fields", {})
    if parts and model.__ninja_param_source__ == "body" and parts[0] in fields:
        if _model_in(fields[parts[0]].annotation) is not None:
            parts = parts[1:]
    return ".".join(str(p) for p in parts) or "__all__"


def _item(field: str, label: str | None, reason: str) -> dict[str, str]:
    shown = label or ("请求体" if field == "__all__" else field)
    return {"field": field, "message": f"{shown}：{reason}"}


def _validation_error(error_contexts: list[Any]) -> NinjaValidationError:
    """Pydantic's errors, each with the client's field name and a Chinese message."""
    items: list[dict[str, Any]] = []
    for context in error_contexts:
        model = context.model
        reverse = getattr(model, "__ninja_flatten_map_reverse__", {})
        for err in context.pydantic_validation_error.errors(include_url=False, include_input=False):
            loc = tuple(err["loc"])
            field = _public_path(model, reverse.get(loc, loc))
            label = None if err.get("type") == "extra_forbidden" else _title(model, loc)
            items.append(_item(field, label, _reason(dict(err))))
    return NinjaValidationError(items)


def _labels(operation: Any) -> dict[str, str]:
    """Field name → Chinese title of every parameter and body field an operation declares."""
    labels: dict[str, str] = dict(_PARAM_LABELS)
    for model in getattr(operation, "models", []):
        for name, info in model.model_fields.items():
            nested = _model_in(info.annotation)
            if nested is None:
                if info.title:
                    labels[name] = info.title
                continue
            for sub, sub_info in nested.model_fields.items():
                if sub_info.title:
                    labels[sub] = sub_info.title
    return labels


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (dotted path, string) in parsed JSON, keys included."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, sub in item.items():
                inner = f"{where}.{key}" if where else str(key)
                yield inner, str(key)
                stack.append((inner, sub))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}" if where else str(i), sub) for i, sub in enumerate(item))


def _nul_field(request: HttpRequest, path_params: dict[str, Any]) -> str | None:
    """The first parameter or JSON field holding a NUL character (PostgreSQL refuses them)."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "__all__"
    for key, value in path_params.items():
        if isinstance(value, str) and "\x00" in value:
            return key
    if request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # not JSON: the parser refuses it
        for where, text in _strings(data):
            if "\x00" in text:
                return where.replace("\x00", "") or "__all__"
    return None


def install_error_handlers(api: NinjaAPI) -> None:
    """Chinese JSON errors for every refusal, the request guard and the validation messages."""

    def respond(request: HttpRequest, status: int, errors: list[dict[str, str]]) -> HttpResponse:
        return api.create_response(request, {"detail": errors}, status=status)

    api.validation_error_from_error_contexts = _validation_error  # type: ignore[method-assign]

    def guard(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        labels = _labels(getattr(run, "__self__", None))

        @functools.wraps(run)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                field = _nul_field(request, kwargs)
            except RecursionError:
                return respond(request, 422, [_item("__all__", None, "嵌套层次过深")])
            if field is not None:
                return respond(request, 422, [_item(field, labels.get(field), "不能包含空字符（\\0）")])
            return run(request, *args, **kwargs)

        return guarded

    api.add_decorator(guard, mode="view")

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, error_list(exc))

    @api.exception_handler(NinjaValidationError)
    def on_schema(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        items = []
        for err in exc.errors:
            if "message" in err:  # already translated by _validation_error
                items.append({"field": err["field"], "message": err["message"]})
                continue
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
            field = ".".join(loc) or "__all__"
            items.append(_item(field, None, _reason(err)))
        return respond(request, 422, items)

    @api.exception_handler(RecursionError)
    def on_deep_json(request: HttpRequest, exc: RecursionError) -> HttpResponse:
        return respond(request, 422, [_item("__all__", None, "嵌套层次过深")])

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, [{"field": "__all__", "message": "无权执行此操作"}])

    @api.exception_handler(CsrfFailed)
    def on_csrf(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
        return respond(
            request, 403, [{"field": "__all__", "message": "安全校验失败（CSRF），请刷新页面后重试"}]
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, [{"field": "__all__", "message": "请先登录或提供有效的访问令牌"}])

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, [{"field": "__all__", "message": "记录不存在或无权查看"}])

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # django-ninja could not parse the body: bad input like any other
            return respond(request, 422, [_item("__all__", None, "不是有效的JSON（UTF-8）")])
        message = {403: "无权执行此操作", 404: "记录不存在或无权查看", 429: "请求过于频繁，请稍后再试"}
        status = exc.status_code
        return respond(
            request, status, [{"field": "__all__", "message": message.get(status, "请求无法处理")}]
        )


# -- listings --------------------------------------------------------------------------------
def page_params(page: int, page_size: int) -> tuple[int, int]:
    page = max(1, page)
    page_size = min(max(1, page_size), parameters.value("api.page_max"))
    return page, page_size


def _choices_hint(listing: Listing, param: str) -> str:
    flt = next(f for f in listing.filters if f.param == param)
    if flt.choices is None or callable(flt.choices):
        return "其他值忽略"
    return "可选：" + "、".join(str(code) for code, _ in flt.choices) + "；其他值忽略"


def _list_params(listing: Listing) -> type[Schema]:
    """The query parameters of a listing's API list: page, page size, search and its filters."""
    fields: dict[str, Any] = {
        "page": (PageNumber, 1),
        "page_size": (
            PageSize,
            Field(25, description="每页条数，超过上限（参数管理“接口每页最多条数”）按上限返回"),
        ),
    }
    if listing.search:
        fields["q"] = (Keyword, Field("", description=f"按{listing.search_hint}搜索"))
    for flt in listing.filters:
        fields[flt.param] = (str, Field("", title=flt.label, description=_choices_hint(listing, flt.param)))
    name = "".join(part.title() for part in listing.slug.split("_")) + "ListParams"
    return create_model(name, __base__=Schema, **fields)


def add_listing_routes(router: Router, listing: Listing, out: type[Schema]) -> None:
    """GET /<slug>s (filtered, paginated) and GET /<slug>s/{pk}, through the permission layer."""
    page_schema = type(
        f"{out.__name__}Page",
        (Schema,),
        {"__annotations__": {"count": int, "page": int, "page_size": int, "items": list[out]}},  # type: ignore[valid-type]
    )
    params_schema = _list_params(listing)

    def list_rows(request: HttpRequest, params: Any) -> dict[str, Any]:
        if not can(request.user, listing.model, "view"):
            raise PermissionDenied
        values = params.model_dump()
        page, page_size = page_params(values.pop("page"), values.pop("page_size"))
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value:
                query[key] = value
        qs, _ = listing.filtered(request, params=query)
        total = qs.count()
        start = (page - 1) * page_size
        return {
            "count": total,
            "page": page,
            "page_size": page_size,
            "items": list(qs[start : start + page_size]),
        }

    list_rows.__annotations__["params"] = Query[params_schema]  # type: ignore[misc,valid-type]
    router.get(
        f"/{listing.slug}s",
        response=answers(page_schema, 403),
        operation_id=f"list_{listing.slug}s",
        summary=f"{listing.title}列表",
    )(list_rows)

    @router.get(
        f"/{listing.slug}s/{{pk}}",
        response=answers(out, 403, 404),
        operation_id=f"get_{listing.slug}",
        summary=f"{listing.title}详情",
    )
    def get_row(request: HttpRequest, pk: RecordId) -> Any:
        return get_for(listing.queryset(request.user), request.user, "view", pk=pk)
