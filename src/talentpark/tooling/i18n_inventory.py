"""Inventory of every translatable message, for the English catalog.

Simplified Chinese is the primary language and the msgids *are* the Chinese strings.
Two kinds of messages reach ``gettext`` at run time:

* literals, written in templates (``{% translate "人才库" %}``, ``{% blocktranslate %}``)
  or in Python (``gettext("是")``), found here by reading the sources; and
* values, passed through ``{% translate var %}`` or ``gettext(value)``: listing titles
  and column labels, navigation labels, model choice labels, role labels. No extractor
  can see those, so :func:`runtime_msgids` collects them from the objects themselves.

``scripts/i18n-catalog`` merges both into ``locale/<lang>/LC_MESSAGES/django.po`` and
compiles ``django.mo`` with Babel (no GNU gettext needed); the i18n tests use the same
functions. Nothing at run time imports this module.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/talentpark
APP_MODULES = (
    "accounts",
    "registry",
    "policies",
    "recruitment",
    "housing",
    "innovation",
    "talentcode",
    "desk",
)

# CJK ideographs (with extensions A and compatibility), CJK punctuation and full-width forms.
_CJK_RE = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Labels a view passes to ``{% translate label %}`` from a local literal that no other
# source names: the staff workbench cards (accounts.views.home).

# Translation functions found in Python sources (and in templatize() output), with
# the positions of (context, singular, plural) among their arguments.
_KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_CALL_START_RE = re.compile(r"(?<![\w.])(" + "|".join(sorted(_KEYWORDS, key=len, reverse=True)) + r")\(")


# A named ``%(name)s`` placeholder, as blocktranslate and Python format strings use them.
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifr]")


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


@dataclass(frozen=True, order=True)
class Msg:
    """One catalog entry: ``plural`` for ``ngettext``/``count`` blocks, ``context`` for ``pgettext``."""

    msgid: str
    plural: str | None = None
    context: str | None = None


Messages = dict[Msg, set[str]]  # message -> locations (paths relative to src/talentpark)


def _add(found: Messages, msg: Msg, location: str) -> None:
    found.setdefault(msg, set()).add(location)


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(PACKAGE_DIR).as_posix()
    except ValueError:
        return path.as_posix()


# -- literals in Python ------------------------------------------------------------


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _string_arg(args: list[ast.expr], index: int | None) -> str | None:
    if index is None or index >= len(args):
        return None
    arg = args[index]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def _messages_in_tree(tree: ast.AST) -> Iterator[Msg]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name not in _KEYWORDS:
            continue
        ctx_at, singular_at, plural_at = _KEYWORDS[name]
        singular = _string_arg(node.args, singular_at)
        if singular is None:
            continue  # a variable: covered by runtime_msgids(), or not ours to translate
        plural = _string_arg(node.args, plural_at)
        if plural_at is not None and plural is None:
            continue
        context = _string_arg(node.args, ctx_at)
        if ctx_at is not None and context is None:
            continue
        yield Msg(singular, plural, context)


def python_messages(source: str) -> list[Msg]:
    """Literal msgids of ``gettext``/``_``/``gettext_lazy``/``gettext_noop``/``ngettext``/``pgettext`` calls."""
    return list(_messages_in_tree(ast.parse(source)))


def python_files(root: Path = PACKAGE_DIR) -> list[Path]:
    skip = {"migrations", "tests", "__pycache__", "static", "templates", "locale"}
    return sorted(
        p
        for p in root.rglob("*.py")
        if not skip.intersection(p.relative_to(root).parts[:-1]) and p.name != "conftest.py"
    )


# -- literals in templates ---------------------------------------------------------


def _call_end(text: str, start: int) -> int | None:
    """Index just past the ``)`` closing the call whose ``(`` is at ``start``; quotes respected."""
    depth = 0
    i = start
    quote = ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n":
            return None
        i += 1
    return None


def template_messages(source: str, origin: str | None = None) -> list[Msg]:
    """Msgids of a template, exactly as Django looks them up.

    Django's own :func:`~django.utils.translation.template.templatize` (what
    ``makemessages`` feeds to xgettext) turns every ``{% translate %}`` and
    ``{% blocktranslate %}`` into a ``gettext(...)``/``ngettext(...)``/``pgettext(...)``
    call: variables become ``%(name)s``, a literal ``%`` becomes ``%%``, ``trimmed``
    is applied. Each call is then read with :mod:`ast`.
    """
    from django.utils.translation.template import templatize

    out = templatize(source, origin)
    found: list[Msg] = []
    for match in _CALL_START_RE.finditer(out):
        end = _call_end(out, match.end() - 1)
        if end is None:
            continue
        try:
            tree = ast.parse(out[match.start() : end], mode="eval")
        except SyntaxError:
            continue
        found.extend(_messages_in_tree(tree))
    return found


def template_dirs() -> list[Path]:
    """The project's template directories: ``TEMPLATES[*]["DIRS"]`` and our apps' ``templates/``."""
    from django.apps import apps
    from django.conf import settings

    engines: list[dict[str, Any]] = settings.TEMPLATES
    dirs = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        if config.name.startswith("talentpark."):
            dirs.append(Path(config.path) / "templates")
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def template_files() -> list[Path]:
    return sorted(
        p for d in template_dirs() for p in d.rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}
    )


def literal_messages() -> Messages:
    """Every literal message in the templates and the Python sources, with where it occurs."""
    found: Messages = {}
    for path in template_files():
        rel = _relative(path)
        for msg in template_messages(path.read_text(encoding="utf-8"), rel):
            _add(found, msg, rel)
    for path in python_files():
        rel = _relative(path)
        for msg in python_messages(path.read_text(encoding="utf-8")):
            _add(found, msg, rel)
    return found


def template_literal_messages() -> set[Msg]:
    """Literal messages of the templates only."""
    return {msg for path in template_files() for msg in template_messages(path.read_text(encoding="utf-8"))}


# -- values translated at run time -------------------------------------------------


def _listing_labels(listing: Any) -> Iterator[str]:
    yield listing.title
    yield listing.search_hint
    for col in listing.columns:
        yield col.label
    for flt in listing.filters:
        yield flt.label
    for title, cols in listing.sections:
        yield title
        for col in cols:
            yield col.label
    for rel in listing.related:
        yield rel.title
        for col in rel.columns:
            yield col.label


def _choice_labels(choices: Iterable[Any]) -> Iterator[str]:
    for _value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            yield from _choice_labels(label)
        else:
            yield str(label)


def runtime_sources() -> dict[str, set[str]]:
    """:func:`runtime_msgids` with where each string comes from."""
    from django.apps import apps

    from talentpark.core import shell
    from talentpark.core.roles import Role

    found: dict[str, set[str]] = {}

    def add(text: Any, where: str) -> None:
        text = str(text)
        if has_cjk(text):
            found.setdefault(text, set()).add(where)

    for app in APP_MODULES:
        pages = importlib.import_module(f"talentpark.{app}.pages")
        for listing in pages.LISTINGS:
            for label in _listing_labels(listing):
                add(label, f"{app}/pages.py")
    for group, items in shell.nav_groups():
        add(group, "core/shell.py")
        for label, url_name, _perm in items:
            add(label, f"{url_name.split(':')[0]}/shell.py")
    for label, url_name, _perm in shell.talent_items():
        add(label, f"{url_name.split(':')[0]}/shell.py")
    for model in apps.get_models():
        config = model._meta.app_config
        if config is None or not config.name.startswith("talentpark."):
            continue
        where = model.__module__.removeprefix("talentpark.").replace(".", "/") + ".py"
        for field in model._meta.concrete_fields:
            if field.choices:
                for label in _choice_labels(field.choices):
                    add(label, where)
    for label in Role.labels:
        add(label, "accounts/roles.py")
    for text in ("是", "否"):
        add(text, "core/listing.py")
    _add_view_labels(add)
    return found


def _add_view_labels(add: Any) -> None:
    """Labels views hand to ``{% translate label %}``: workbench cards and edit-form field names."""
    from talentpark.registry.models import Enterprise
    from talentpark.registry.services import ENTERPRISE_EDITABLE

    for name in ENTERPRISE_EDITABLE:
        add(getattr(Enterprise._meta.get_field(name), "verbose_name", ""), "registry/views.py")
    from talentpark.policies.workflow import NEXT_STEP

    for label in NEXT_STEP.values():  # the claim page's "下一步"
        add(label, "policies/workflow.py")
    from talentpark.core import parameters

    for spec in parameters.specs():  # 参数管理: each parameter's name and help, its group, its type
        add(spec.label, "core/parameters.py")
        add(spec.help, "core/parameters.py")
        for _code, label in spec.choices:
            add(label, "core/parameters.py")
    for label in (*parameters.GROUPS.values(), *parameters.TYPES.values()):
        add(label, "core/parameters.py")
    from talentpark.core.codes import ProgrammeLevel

    for label in ProgrammeLevel.labels:  # 字典管理: the levels of a local programme
        add(label, "core/config_views.py")


def runtime_msgids() -> set[str]:
    """Every Chinese string shown through ``gettext(value)`` or ``{% translate var %}``."""
    return set(runtime_sources())


# -- the catalog -------------------------------------------------------------------


def all_messages() -> Messages:
    """Literal and runtime messages together, keyed like a catalog entry."""
    found = literal_messages()
    for text, where in runtime_sources().items():
        for w in where:
            _add(found, Msg(text), w)
    # One entry per (msgid, context): a plural use wins over a singular one.
    merged: dict[tuple[str, str | None], Msg] = {}
    for msg in sorted(found, key=lambda m: m.plural is None):
        merged.setdefault((msg.msgid, msg.context), msg)
    result: Messages = {}
    for msg, locations in found.items():
        result.setdefault(merged[(msg.msgid, msg.context)], set()).update(locations)
    return result


def po_path(language: str = "en") -> Path:
    from django.conf import settings
    from django.utils.translation import to_locale

    return Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / "django.po"


def is_translated(message: Any) -> bool:
    """A Babel message that ``write_mo`` will include: a non-empty, non-fuzzy translation."""
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


def compile_mo(catalog: Any) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def mo_catalog(data: bytes) -> dict[Any, str]:
    """What Python's (and so Django's) gettext reads from a compiled catalog."""
    import gettext

    return dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]


def mo_is_current(po: Path, mo: Path) -> bool:
    """Whether ``mo`` holds exactly the messages ``po`` compiles to."""
    from babel.messages.pofile import read_po

    if not mo.exists():
        return False
    with po.open("rb") as fh:
        catalog = read_po(fh)
    return mo_catalog(compile_mo(catalog)) == mo_catalog(mo.read_bytes())
