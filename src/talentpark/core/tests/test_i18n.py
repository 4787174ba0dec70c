"""English is a complete second language: every msgid translated, the .mo current, the switch works.

When a test here fails after a template or a label changed, run ``make messages``
(``scripts/i18n-catalog``), translate the new msgids in
``src/talentpark/locale/en/LC_MESSAGES/django.po`` and run it again.
"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse
from django.utils import translation

from talentpark.tooling import i18n_inventory as inv

PO = inv.po_path("en")
MO = PO.with_suffix(".mo")
HINT = "run `make messages` and translate the new msgids in " + str(PO)


def _english(msg: inv.Msg) -> list[str]:
    """What the running site shows for ``msg`` in English (both plural forms if it has them)."""
    with translation.override("en"):
        if msg.plural is not None:
            if msg.context is not None:
                return [translation.npgettext(msg.context, msg.msgid, msg.plural, n) for n in (1, 2)]
            return [translation.ngettext(msg.msgid, msg.plural, n) for n in (1, 2)]
        if msg.context is not None:
            return [translation.pgettext(msg.context, msg.msgid)]
        return [translation.gettext(msg.msgid)]


def _untranslated(messages: set[inv.Msg]) -> list[str]:
    return sorted(
        msg.msgid
        for msg in messages
        if inv.has_cjk(msg.msgid) and any(not s.strip() or s == msg.msgid for s in _english(msg))
    )


def test_runtime_strings_are_translated():
    runtime = inv.runtime_msgids()
    assert {"人才库", "服务专员", "链主企业", "是", "否"} <= runtime
    assert all(inv.has_cjk(s) for s in runtime)
    assert _untranslated({inv.Msg(s) for s in runtime}) == [], HINT


def test_template_literals_are_translated():
    literals = inv.template_literal_messages()
    assert inv.Msg("工作台") in literals
    assert _untranslated(literals) == [], HINT


def test_the_catalog_covers_every_source_message():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for msg in inv.all_messages():
        entry = catalog.get(msg.msgid, msg.context)
        if entry is None or not inv.is_translated(entry) or (msg.plural is not None) != entry.pluralizable:
            missing.append(msg.msgid)
    assert missing == [], HINT


def test_the_committed_mo_is_compiled_from_the_po():
    assert MO.exists() and inv.mo_is_current(PO, MO), "run `make messages` to recompile " + str(MO)


def test_the_workbench_heading_is_english():
    assert _english(inv.Msg("工作台")) == ["Workbench"]


def test_placeholders_survive_translation():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id or not message.python_format:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(inv.PLACEHOLDER_RE.findall(ids[0])) | set(inv.PLACEHOLDER_RE.findall(ids[-1]))
        for s in strings:  # a placeholder the msgid lacks would raise KeyError when rendered
            assert set(inv.PLACEHOLDER_RE.findall(s)) <= wanted, (message.id, s)


def test_template_extraction_matches_django():
    source = (
        "{% load i18n %}"
        '{% translate "人才库" %}{% translate \'企业库\' as t %}{% translate "50%" %}'
        '{% translate "五月" context "month" %}{% translate listing.title %}'
        "{% blocktranslate with n=x %}第 {{ n }} 页{% endblocktranslate %}"
        "{% blocktranslate count n=c %}共 {{ n }} 条{% plural %}共 {{ n }} 条们{% endblocktranslate %}"
        "{% blocktranslate trimmed %}\n  第一行\n  第二行\n{% endblocktranslate %}"
        '{{ _("平台库") }}'
    )
    assert set(inv.template_messages(source)) == {
        inv.Msg("人才库"),
        inv.Msg("企业库"),
        inv.Msg("50%%"),
        inv.Msg("五月", context="month"),
        inv.Msg("第 %(n)s 页"),
        inv.Msg("共 %(n)s 条", "共 %(n)s 条们"),
        inv.Msg("第一行 第二行"),
        inv.Msg("平台库"),
    }


def test_python_extraction():
    source = (
        "from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext\n"
        "a = _('是')\nb = gettext_lazy('否')\nc = ngettext('%(n)s 个', '%(n)s 个', 2)\n"
        "d = pgettext('nav', '岗位')\ne = _(variable)\nf = translation.gettext_noop('人才')\n"
    )
    assert set(inv.python_messages(source)) == {
        inv.Msg("是"),
        inv.Msg("否"),
        inv.Msg("%(n)s 个", "%(n)s 个"),
        inv.Msg("岗位", context="nav"),
        inv.Msg("人才"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", ["Sign in to the Talent Service Platform", "Username", "Password"], ["登录人才服务平台"]),
        ("zh-hans", ["登录人才服务平台", "用户名", "密码"], ["Sign in to the Talent Service Platform"]),
    ],
)
def test_the_login_page_follows_the_chosen_language(language, shown, hidden):
    client = Client()
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'lang="{"en" if language == "en" else "zh-CN"}"' in html
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html
