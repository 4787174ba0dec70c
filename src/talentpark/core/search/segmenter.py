"""jieba search-mode segmentation with the zone's own terms as a user dictionary.

The user dictionary (enterprise names and short names, chain and segment names, platform
kinds such as 院士工作站, policy key terms) comes from sources the registry apps register
(:func:`register_dictionary_source`). It is loaded from the database on first use, cached in
the process, extended by every document this process indexes, reloaded by
:meth:`Segmenter.refresh` (the rebuild command calls it) and, to pick up other processes'
additions, after ``TALENTPARK_SEARCH_DICTIONARY_TTL`` seconds (default 900).

**Why matching never depends on the dictionary.** A user word such as ``鲁擎重工`` is cut as
one token once it is in the dictionary, but a document indexed before it was added, or by
another process, holds the default cut ``鲁擎 / 重工``. So for every user word we remember its
default cut (its *pieces*) and:

* a document gets the user-dictionary cut **and** the pieces of every user word in it;
* a query requires the pieces (what every document has, whatever the dictionary said when it
  was indexed) and uses the whole user word only as a ranking bonus (see :class:`QueryTerms`).
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings

from talentpark.core.search.text import alnum_runs, compact_key, has_cjk, normalize, unique

with warnings.catch_warnings():
    # jieba 0.42 has regex literals with invalid escapes (harmless SyntaxWarnings on import).
    warnings.simplefilter("ignore", SyntaxWarning)
    import jieba
jieba.setLogLevel(logging.WARNING)

MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 12
MIN_TERM_CHARS = 3
MAX_TERM_CHARS = 40
# Function words that carry no meaning as a search term on their own.
STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 之 在 是 为 对 其 并 由 于 把 被 以 将 从 向 而 且 也 就 都 着 给 让 个".split()
)

DictionarySource = Callable[[], Iterable[str]]
_SOURCES: list[DictionarySource] = []


def register_dictionary_source(source: DictionarySource) -> DictionarySource:
    """Register ``source() -> terms``: zone terms that should be cut as one word."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


@dataclass(frozen=True)
class QueryTerms:
    """A query as the index sees it.

    ``required``: tokens every AND match contains (the pieces, never a bare user word);
    ``phrases``: whole zone terms the query contains (a ranking bonus when a record's name has
    them); ``key``: the whole query as one token (the exact-name bonus: ``张三``, ``zs``);
    ``words``: the tokens of each word the user typed apart (``博士 医药`` gives two), when
    there are two or more: records whose names hold every word rank first.
    """

    required: tuple[str, ...]
    phrases: tuple[str, ...]
    key: str
    words: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.required)


def dictionary_words(term: str) -> list[str]:
    """The dictionary words of a zone term: its runs of letters and digits that contain a
    Chinese character and are 3–40 characters long ("新型研发机构/产业研究院" gives two)."""
    return [
        run
        for run in alnum_runs(normalize(term))
        if MIN_TERM_CHARS <= len(run) <= MAX_TERM_CHARS and has_cjk(run)
    ]


class Segmenter:
    """One jieba tokenizer per process, with the zone terms added to its dictionary."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._jieba: jieba.Tokenizer | None = None
        self._pieces: dict[str, tuple[str, ...]] = {}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._loaded_at = 0.0

    # -- dictionary --------------------------------------------------------------------
    def tokenizer(self) -> jieba.Tokenizer:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._jieba = tokenizer
        return self._jieba

    @property
    def user_words(self) -> frozenset[str]:
        return frozenset(self._pieces)

    def ensure_loaded(self) -> None:
        ttl = float(getattr(settings, "TALENTPARK_SEARCH_DICTIONARY_TTL", 900))
        if not self._loaded_at or (ttl > 0 and time.monotonic() - self._loaded_at > ttl):
            self.refresh()

    def refresh(self) -> int:
        """Reload the user dictionary from the registered sources; return its size."""
        wanted = {w for source in _SOURCES for term in source() for w in dictionary_words(term)}
        with self._lock:
            tokenizer = self.tokenizer()
            for word in set(self._pieces) - wanted:
                tokenizer.del_word(word)
                del self._pieces[word]
            self._add(wanted - set(self._pieces))
            self._cache.clear()
            self._loaded_at = time.monotonic()
            return len(self._pieces)

    def add_terms(self, terms: Iterable[str]) -> None:
        """Add zone terms met while indexing (a new enterprise's name) to this process's dictionary."""
        new = {w for term in terms for w in dictionary_words(term)} - set(self._pieces)
        if new:
            with self._lock:
                self._add(new - set(self._pieces))
                self._cache.clear()

    def _add(self, words: set[str]) -> None:
        tokenizer = self.tokenizer()
        # Pieces are cut before any of these words is added, and user words met inside
        # them are expanded, so pieces never depend on the dictionary.
        pieces = {w: self._default_pieces(w) for w in words}
        for word in sorted(words, key=lambda w: (len(w), w)):
            tokenizer.add_word(word)
        self._pieces.update(pieces)

    def _default_pieces(self, word: str) -> tuple[str, ...]:
        out: list[str] = []
        for piece in self.tokenizer().cut_for_search(word):
            nested = self._pieces.get(piece)
            out.extend(nested if nested else alnum_runs(piece))
        return tuple(t for t in unique(out) if t not in STOPWORDS)

    # -- cutting -----------------------------------------------------------------------
    def index_tokens(self, text: str) -> tuple[str, ...]:
        """The tokens a document holds for ``text``: the user-dictionary cut plus the pieces."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        raw, text = text, normalize(text).strip()
        if not text:
            return ()
        out: list[str] = []
        for word in self.tokenizer().cut_for_search(text):
            out.extend(alnum_runs(word))
            pieces = self._pieces.get(word)
            if pieces:
                out.extend(pieces)
        tokens = tuple(t for t in unique(out) if t not in STOPWORDS)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[raw] = tokens
        return tokens

    def _query_tokens(self, text: str) -> tuple[list[str], list[str]]:
        required: list[str] = []
        phrases: list[str] = []
        for word in self.tokenizer().cut_for_search(text):
            pieces = self._pieces.get(word)
            if pieces:
                phrases.append(word)
                required.extend(pieces)
            else:
                required.extend(alnum_runs(word))
        return [t for t in unique(required) if t not in STOPWORDS], unique(phrases)

    def query_terms(self, text: str) -> QueryTerms:
        """Cut a user's query: required tokens, zone-term phrases, the whole-query key and the
        typed words."""
        text = normalize(text)[:MAX_QUERY_CHARS]
        required, phrases = self._query_tokens(text)
        tokens = required[:MAX_QUERY_TOKENS]
        words: list[tuple[str, ...]] = []
        parts = [p for p in text.split() if alnum_runs(p)]
        if len(parts) > 1:
            for part in parts:
                held = tuple(t for t in self._query_tokens(part)[0] if t in tokens)
                if held and held not in words:
                    words.append(held)
        return QueryTerms(
            tuple(tokens), tuple(phrases), compact_key(text), tuple(words) if len(words) > 1 else ()
        )


segmenter = Segmenter()
logger = logging.getLogger(__name__)


def warm_up_in_background() -> threading.Thread:
    """Load jieba's dictionary and the zone's terms (and the URLconf) in a daemon thread, so the
    first search of a fresh server process does not wait for them (3–4 s at seed scale).

    Called when the ASGI application is created (``talentpark.asgi``: every ``serve`` worker),
    not from ``AppConfig.ready``: management commands and test processes never pay for it. A
    search that arrives meanwhile loads what is still missing itself (the segmenter's lock
    makes the two share the work).
    """

    def run() -> None:
        from django.db import connection
        from django.urls import reverse

        try:
            segmenter.ensure_loaded()
            # The rest of a first search's cold start: the URLconf (every app's views, imported
            # on the first reverse()) and the index's document count.
            reverse("search:page")
            from talentpark.core.search.backends import frequencies

            frequencies.total()
        except Exception:  # a search loads the dictionary itself then
            logger.exception("search dictionary warm-up failed")
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="search-dictionary-warm-up", daemon=True)
    thread.start()
    return thread
