"""The search index table: one row per searchable record, in the same database as the records.

A :class:`SearchDocument` is what the search sees of a talent, an enterprise, a platform, a
project, a policy, a job or a personnel demand: a title, a short snippet text (never an ID
number or a phone), the facet values the result page counts and filters on, and the
segmented tokens. The full-text index over ``tokens`` is vendor DDL created by migration
``core.0003_search_index``: an FTS5 table kept in step by triggers on SQLite, a generated
``tsvector`` column with a GIN index on PostgreSQL. Because both live in the database, an
index write commits or rolls back with the change that caused it.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """What the one search box finds for one record (kind + object id)."""

    zone = models.ForeignKey(
        "core.Zone", models.CASCADE, related_name="+", db_index=False, verbose_name="园区"
    )
    kind = models.CharField("类型", max_length=16)
    object_id = models.BigIntegerField("记录ID")
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=400, blank=True)
    # " t1  t2  t3 ": every token once, each wrapped in spaces so a token test is a substring test.
    tokens = models.TextField("分词")
    # The tokens of the record's names (title, short name, pinyin): matches here weigh more.
    name_tokens = models.CharField("名称分词", max_length=600, blank=True)
    # BM25 length normalisation, computed when the row is written (see ranking.length_weight).
    weight = models.FloatField("长度权重", default=1.0)
    # Facets. Multi-valued ones (chains, chain roles) are stored as " v1  v2 " like the tokens.
    f_industry = models.CharField("行业（大类）", max_length=4, blank=True)
    f_chains = models.CharField("产业链", max_length=100, blank=True)
    f_roles = models.CharField("链上角色", max_length=60, blank=True)
    f_degree = models.CharField("学历", max_length=2, blank=True)
    f_title = models.CharField("职称", max_length=1, blank=True)
    f_tier = models.CharField("人才层次", max_length=1, blank=True)
    f_category = models.CharField("类别", max_length=40, blank=True)
    f_year = models.PositiveSmallIntegerField("年份", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_document_per_record")
        ]
        indexes = [
            models.Index(fields=["zone", "kind"]),
            # The top-k cut walks the matches without a name hit in this order (engine._ranked_top).
            models.Index(fields=["-weight", "kind", "object_id"], name="core_search_weight_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
