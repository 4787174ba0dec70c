"""Highlighted titles and snippets: ``<mark>`` around the query's terms, everything else escaped.

Terms are found in the text as the index sees it (NFKC, lower case), and the spans are mapped
back to the original characters, so ``ＪＡＶＡ`` in a record is marked for the query ``java``.
A record found by pinyin (``zs`` → 张三) has no term in its Chinese title: the whole title is
marked instead.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from talentpark.core.search.segmenter import QueryTerms
from talentpark.core.search.text import has_cjk, normalize

SNIPPET_CHARS = 120


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = normalize(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the original ``text`` where any needle occurs."""
    folded, origin = _normalised_with_map(text)
    found: list[tuple[int, int]] = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            found.append((origin[start], origin[end - 1] + 1))
            start = folded.find(needle, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def _needles(terms: QueryTerms | None) -> list[str]:
    if terms is None:
        return []
    return [*terms.required, *terms.phrases]


def highlight(text: str, terms: QueryTerms | None) -> SafeString:
    """The whole ``text``, escaped, with the terms marked (a title)."""
    text = text or ""
    spans = _spans(text, _needles(terms))
    if not spans and terms and text and has_cjk(text) and any(t.isascii() for t in terms.required):
        spans = [(0, len(text))]  # found by the pinyin of this name
    return mark_safe(_render(text, spans))  # noqa: S308  (every piece is escaped above)


def snippet(text: str, terms: QueryTerms | None, width: int = SNIPPET_CHARS) -> SafeString:
    """At most ``width`` characters of ``text`` around the first term, escaped, terms marked."""
    text = text or ""
    spans = _spans(text, _needles(terms))
    start = 0
    if spans and spans[0][0] > width // 3:
        start = spans[0][0] - width // 3
    end = min(len(text), start + width)
    window = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = _render(text[start:end], window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308  (every piece is escaped above)
