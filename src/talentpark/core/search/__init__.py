"""一网四库 search: one Chinese search box over every registry, inside the database.

* :mod:`.models` — ``SearchDocument``, one row per searchable record (the ``core`` app's table);
* :mod:`.backends` — the vendor full-text index (SQLite FTS5 / PostgreSQL tsvector + GIN);
* :mod:`.text`, :mod:`.segmenter` — normalisation, pinyin, jieba with the zone's dictionary;
* :mod:`.documents` — what apps register: kinds of records, documents, facet labels;
* :mod:`.index` — ``reindex``/``remove`` (called by services) and ``rebuild``;
* :mod:`.ranking`, :mod:`.engine`, :mod:`.highlight` — matching, ranking, facets, snippets;
* :mod:`.views`, :mod:`.api` — ``/search/`` and ``GET /api/search``.
"""
