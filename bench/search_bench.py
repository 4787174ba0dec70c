"""Benchmark: the 一网四库 search on SQLite and PostgreSQL, side by side with tantivy.

Usage (each target is ``SCALE=place``; a place is a scratch ``var/`` directory for SQLite or a
``postgres://`` URL; a missing demo database is generated first with ``talentpark demo``)::

    .venv/bin/python bench/search_bench.py \\
        --target seed=/tmp/tp_search/seed_sqlite \\
        --target seed=postgres://postgres@127.0.0.1:5432/tp_search_seed \\
        [--rebuild] [--append docs/benchmarks.md]

For every scale the SQLite target (it must come first) derives the query sets from the demo
data, and every target then, in its own process:

* times ``talentpark.core.search.engine.search`` end to end (segmentation, the per-kind
  ``EXISTS`` access filter of the office user ``jn_office``, ranking, facets, snippets) on
  **200 timing queries**, after one warm-up pass; reports p50 / p95 / max;
* with ``--rebuild``, first times ``search_rebuild`` (the whole index from the records);
* scores nDCG@10 on **50 labelled queries**.

The SQLite process also feeds every index row's tokens (the same jieba tokens) to a
**tantivy** index (``whitespace`` tokenizer, BM25, a Must clause on the zone) and times the
same queries, segmentation included, in AND mode, in OR mode, and AND-then-OR (our policy),
top 10 with the hit count.

**Timing queries** (seeded random choices from the main zone, ``random.Random(20260101)``):
30 enterprise full names, 30 short names, 30 talent names, 15 full pinyin spellings
(``songxinshi``), 15 pinyin initials (``sxs``), 10 chain names, 10 chain-segment names, 20
majors (from education records), 10 platform-kind labels, 10 policy key terms (the title
without the zone name and the document-type word), and 20 two-term combinations (10 "major +
degree label", 10 "short name + position title" of the same enterprise). A category with fewer
distinct values than asked (the demo zone has 5 chains) is topped up with more "short name +
position title" pairs, so there are always 200.

**Common-word queries** (``COMMON_ONE_WORD``, ``COMMON_TWO_WORDS``): the words people actually
type — 本科, 工程师, 有限公司, the zone's own city name … (thousands to tens of thousands of
matches each at seed) and two-word combinations such as 博士 医药 and 工程机械 岗位. Figures are
reported for the whole set, the original 200 and the common-word queries separately; the first
search of a fresh process is timed apart (cold, and after the start-up dictionary warm-up).

**Labelled queries** (graded relevance 3 = the record asked for, 2 = one of a set asked for):
10 short names → that enterprise (3); 10 talent names unique in the zone → that talent (3);
5 full pinyin spellings unique in the zone → that talent (3); 5 platform names → that
platform (3); 5 platform-kind labels with at most 10 platforms → each platform of the kind (2);
5 policy key terms unique to one policy → that policy (3); 5 project names → that project
(3); 5 "short name + position title" → every position of that title at that enterprise (3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TALENTPARK = Path(sys.executable).with_name("talentpark")
SEED = 20260101
OFFICE = "jn_office"
MAIN_ZONE = "jining-hitech"
PAGE = 20


# -- query sets (run inside Django, on the SQLite target) ---------------------------------

# The words people actually type: one common word (thousands to tens of thousands of matches
# each at seed) and two-word combinations of them; ``{city}`` is the zone's own city name.
COMMON_ONE_WORD = [
    "本科", "硕士", "博士", "研究生", "工程师", "高级工程师", "研究员", "有限公司", "股份有限公司",
    "科技", "集团", "{city}", "高新区", "研发", "技术", "经理", "专员", "销售", "人才", "岗位",
    "医药", "机械", "工程机械", "新能源", "软件", "数据", "智能制造", "博士后", "工作站", "研究院",
]  # fmt: skip
COMMON_TWO_WORDS = [
    "博士 医药", "工程机械 岗位", "硕士 机械", "本科 软件", "工程师 医药", "博士 新能源",
    "研究生 数据", "医药 岗位", "软件 岗位", "新能源 企业", "高级工程师 机械", "{city} 有限公司",
    "有限公司 研发", "博士后 工作站", "研发 经理", "销售 经理", "质量 工程师", "数据 工程师",
    "智能制造 博士", "本科 会计",
]  # fmt: skip


def _pick(rng: random.Random, items: list[Any], n: int) -> list[Any]:
    items = sorted(set(items))
    return rng.sample(items, min(n, len(items)))


def make_query_sets() -> dict[str, Any]:
    from collections import Counter

    from talentpark.core.codes import Degree
    from talentpark.core.models import Zone
    from talentpark.core.search.documents import get_kind
    from talentpark.policies.models import Policy
    from talentpark.policies.search_documents import key_term
    from talentpark.recruitment.models import Position
    from talentpark.registry.models import (
        ChainSegment,
        Education,
        Enterprise,
        IndustryChain,
        Platform,
        Project,
    )

    rng = random.Random(SEED)
    zone = Zone.objects.get(code=MAIN_ZONE)
    enterprises = list(Enterprise.objects.filter(zone=zone).values_list("pk", "name", "short_name"))
    people = list(
        get_kind("talent")
        .model.objects.filter(zone=zone)
        .values_list("pk", "person__name", "person__name_pinyin")
    )
    name_count = Counter(p[1] for p in people)
    spelling_count = Counter(p[2].split()[0] for p in people if p[2])
    majors = list(
        Education.objects.filter(person__talents__zone=zone).values_list("major", flat=True).distinct()
    )
    kinds = [str(label) for _, label in Platform.Kind.choices]
    zone_names = [zone.name, zone.short_name]
    policies = list(Policy.objects.filter(zone=zone).values_list("pk", "title"))
    terms = Counter(key_term(t, zone_names) for _, t in policies)
    jobs = list(Position.objects.filter(zone=zone).values_list("pk", "enterprise__short_name", "title"))

    timing: list[str] = []
    timing += [e[1] for e in _pick(rng, enterprises, 30)]
    timing += [e[2] for e in _pick(rng, enterprises, 30)]
    timing += [p[1] for p in _pick(rng, people, 30)]
    with_pinyin = [p for p in people if p[2]]
    timing += [p[2].split()[0] for p in _pick(rng, with_pinyin, 15)]
    timing += [p[2].split()[1] for p in _pick(rng, with_pinyin, 15)]
    timing += _pick(rng, list(IndustryChain.objects.filter(zone=zone).values_list("name", flat=True)), 10)
    timing += _pick(
        rng, list(ChainSegment.objects.filter(chain__zone=zone).values_list("name", flat=True)), 10
    )
    timing += _pick(rng, majors, 20)
    timing += _pick(rng, kinds, 10)
    timing += _pick(rng, sorted(terms), 10)
    degrees = [str(label) for _, label in Degree.choices]
    timing += [f"{m} {rng.choice(degrees)}" for m in _pick(rng, majors, 10)]
    pairs = [f"{j[1]} {j[2]}" for j in _pick(rng, [j for j in jobs if j[1]], 100)]
    timing += pairs[: max(10, 200 - len(timing))]
    city = zone.name.split("高新")[0].split("经开")[0] or zone.name[:2]
    common = [w.format(city=city) for w in COMMON_ONE_WORD + COMMON_TWO_WORDS]

    labelled: list[dict[str, Any]] = []

    def label(query: str, relevant: dict[str, int], rule: str) -> None:
        labelled.append({"query": query, "relevant": relevant, "rule": rule})

    for pk, _, short in _pick(rng, [e for e in enterprises if e[2]], 10):
        label(short, {f"enterprise:{pk}": 3}, "short name")
    for pk, name, _ in _pick(rng, [p for p in people if name_count[p[1]] == 1], 10):
        label(name, {f"talent:{pk}": 3}, "unique talent name")
    for pk, _, spelling in _pick(rng, [p for p in with_pinyin if spelling_count[p[2].split()[0]] == 1], 5):
        label(spelling.split()[0], {f"talent:{pk}": 3}, "unique full pinyin")
    platforms = list(Platform.objects.filter(zone=zone).values_list("pk", "name", "kind"))
    for pk, name, _ in _pick(rng, platforms, 5):
        label(name, {f"platform:{pk}": 3}, "platform name")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pk, _, kind in platforms:
        by_kind[kind].append(pk)
    small = [k for k, pks in by_kind.items() if len(pks) <= 10]
    for kind in _pick(rng, small, 5):
        label(str(Platform.Kind(kind).label), {f"platform:{pk}": 2 for pk in by_kind[kind]}, "platform kind")
    for pk, title in _pick(rng, [p for p in policies if terms[key_term(p[1], zone_names)] == 1], 5):
        label(key_term(title, zone_names), {f"policy:{pk}": 3}, "policy key term")
    for pk, name in _pick(rng, list(Project.objects.filter(zone=zone).values_list("pk", "name")), 5):
        label(name, {f"project:{pk}": 3}, "project name")
    for _, short, title in _pick(rng, [j for j in jobs if j[1]], 5):
        same = [j[0] for j in jobs if j[1] == short and j[2] == title]
        label(f"{short} {title}", {f"position:{pk}": 3 for pk in same}, "short name + position title")
    return {"timing": timing, "common": common, "labelled": labelled}


# -- measuring (child process) -------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum((2 ** relevant.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:10]))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def summary(times_ms: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(times_ms, 0.5), 2),
        "p95": round(percentile(times_ms, 0.95), 2),
        "max": round(max(times_ms), 2),
    }


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from talentpark.accounts.models import User
    from talentpark.core.search import index
    from talentpark.core.search.engine import search
    from talentpark.core.search.models import SearchDocument
    from talentpark.core.search.segmenter import segmenter

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {"vendor": connection.vendor, "documents": 0}
    if args.rebuild or not SearchDocument.objects.exists():
        started = time.perf_counter()
        index.rebuild()
        result["rebuild_s"] = round(time.perf_counter() - started, 1)
    result["documents"] = SearchDocument.objects.count()
    sets_path = Path(args.queries)
    if not sets_path.exists():
        sets_path.write_text(json.dumps(make_query_sets(), ensure_ascii=False, indent=1))
    sets = json.loads(sets_path.read_text())
    user = User.objects.get(username=OFFICE)
    result["first_search"] = first_search_times()
    segmenter.ensure_loaded()
    queries = [*sets["timing"], *sets["common"]]

    def ours(query: str) -> list[str]:
        return [f"{h.kind}:{h.object_id}" for h in search(user, query, page_size=PAGE).hits]

    for query in queries:  # warm-up: caches, the planner, the page cache
        ours(query)
    times: list[float] = []
    tops: list[list[str]] = []
    modes: dict[str, int] = defaultdict(int)
    for query in queries:
        started = time.perf_counter()
        results = search(user, query, page_size=PAGE)
        times.append((time.perf_counter() - started) * 1000)
        tops.append([f"{h.kind}:{h.object_id}" for h in results.hits[:10]])
        modes[results.mode or "none"] += 1
    result["ours"] = by_set(times, len(sets["timing"]))
    result["ours"]["modes"] = dict(modes)
    result["slowest"] = sorted(zip(times, queries, strict=True), reverse=True)[:5]
    result["tops"] = tops
    result["ndcg_ours"] = round(
        sum(ndcg_at_10(ours(q["query"]), q["relevant"]) for q in sets["labelled"]) / len(sets["labelled"]), 3
    )
    seg = []
    for query in queries:
        started = time.perf_counter()
        segmenter.query_terms(query)
        seg.append((time.perf_counter() - started) * 1000)
    result["segmentation"] = summary(seg)
    if connection.vendor == "sqlite":
        result["tantivy"] = run_tantivy(sets, user.zone_id)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False))


def by_set(times_ms: list[float], old: int) -> dict[str, Any]:
    """p50/p95/max over the whole set, the 200 original queries and the common-word ones."""
    return {"all": summary(times_ms), "old": summary(times_ms[:old]), "common": summary(times_ms[old:])}


FIRST_SEARCH = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpark.settings")
import django
django.setup()
from talentpark.accounts.models import User
from talentpark.core.search.engine import search
from talentpark.core.search.segmenter import warm_up_in_background
user = User.objects.get(username=sys.argv[1])
warm = 0.0
if sys.argv[2] == "warm":
    started = time.perf_counter()
    warm_up_in_background().join()
    warm = time.perf_counter() - started
started = time.perf_counter()
search(user, "本科")
print(round((time.perf_counter() - started) * 1000, 1), round(warm, 2))
"""


def first_search_times() -> dict[str, float]:
    """The first search of a fresh process: cold, and after the serve-time warm-up has run."""
    out: dict[str, float] = {}
    for mode in ("cold", "warm"):
        done = subprocess.run(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", FIRST_SEARCH, OFFICE, mode],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        first_ms, warm_s = done.stdout.split()[-2:]
        out[f"{mode}_ms"] = float(first_ms)
        if mode == "warm":
            out["warm_up_s"] = float(warm_s)
    return out


def run_tantivy(sets: dict[str, Any], zone_id: int) -> dict[str, Any]:
    import tantivy

    from talentpark.core.search.models import SearchDocument
    from talentpark.core.search.ranking import EXACT_BONUS, NAME_BOOST, PHRASE_BONUS
    from talentpark.core.search.segmenter import segmenter

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_text_field("tokens", tokenizer_name="ws", index_option="freq")
    builder.add_text_field("names", tokenizer_name="ws", index_option="freq")
    builder.add_integer_field("zone", indexed=True)
    schema = builder.build()
    workdir = tempfile.mkdtemp(prefix="tantivy-")
    idx = tantivy.Index(schema, path=workdir)
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase()).build()
    )
    idx.register_tokenizer("ws", analyzer)
    started = time.perf_counter()
    writer = idx.writer(heap_size=256_000_000)
    rows = SearchDocument.objects.values_list(
        "kind", "object_id", "zone_id", "tokens", "name_tokens"
    ).iterator(chunk_size=5000)
    for kind, object_id, zone, tokens, names in rows:
        writer.add_document(
            tantivy.Document(key=f"{kind}:{object_id}", tokens=tokens, names=names, zone=zone)
        )
    writer.commit()
    writer.wait_merging_threads()
    idx.reload()
    build_s = time.perf_counter() - started
    searcher = idx.searcher()
    zone_q = tantivy.Query.term_query(schema, "zone", zone_id)

    def names(term: str, boost: float) -> Any:
        return (
            tantivy.Occur.Should,
            tantivy.Query.boost_query(tantivy.Query.term_query(schema, "names", term), boost),
        )

    def query_for(terms: Any, occur: Any) -> Any:
        """Our fields and boosts: BM25 over the tokens, a match in the names weighs NAME_BOOST
        more, the whole query as a name EXACT_BONUS, each zone term in the names PHRASE_BONUS."""
        parts = [(occur, tantivy.Query.term_query(schema, "tokens", t)) for t in terms.required]
        parts += [names(t, NAME_BOOST) for t in terms.required]
        parts += [names(f"={terms.key}", EXACT_BONUS)] if terms.key else []
        parts += [names(p, PHRASE_BONUS) for p in terms.phrases]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, zone_q), *parts])

    def run(query: str, mode: str) -> list[str]:
        terms = segmenter.query_terms(query)
        if not terms.required:
            return []
        if mode in ("and", "and_or"):
            found = searcher.search(query_for(terms, tantivy.Occur.Must), 10)
            if mode == "and" or found.count >= PAGE or len(terms.required) < 2:
                return [searcher.doc(a)["key"][0] for _, a in found.hits]
        found = searcher.search(query_for(terms, tantivy.Occur.Should), 10)
        return [searcher.doc(a)["key"][0] for _, a in found.hits]

    queries = [*sets["timing"], *sets["common"]]

    out: dict[str, Any] = {"build_s": round(build_s, 1), "documents": searcher.num_docs}
    for mode in ("and", "or", "and_or"):
        for query in queries:
            run(query, mode)
        times = []
        for query in queries:
            started = time.perf_counter()
            run(query, mode)
            times.append((time.perf_counter() - started) * 1000)
        out[mode] = by_set(times, len(sets["timing"]))
        out[f"ndcg_{mode}"] = round(
            sum(ndcg_at_10(run(q["query"], mode), q["relevant"]) for q in sets["labelled"])
            / len(sets["labelled"]),
            3,
        )
    return out


# -- orchestration (parent process) --------------------------------------------------------


def ensure_demo(place: str, scale: str) -> dict[str, str]:
    """The environment of a target; generates the demo zone there if it is missing."""
    env = {**os.environ, "TALENTPARK_FAST_HASHER": "1"}
    if place.startswith("postgres"):
        env["DATABASE_URL"] = place
        env["TALENTPARK_VAR"] = tempfile.mkdtemp(prefix="tp-bench-")
        name = place.rsplit("/", 1)[1]
        admin = place.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(place).mkdir(parents=True, exist_ok=True)
        env.pop("DATABASE_URL", None)
        env["TALENTPARK_VAR"] = place
    subprocess.run(  # noqa: S603 (our own CLI)
        [str(TALENTPARK), "demo", "--scale", scale, "--no-serve", "-v0"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", action="append", default=[], help="SCALE=var-dir or SCALE=postgres://…")
    parser.add_argument("--rebuild", action="store_true", help="time a full index rebuild on every target")
    parser.add_argument("--append", help="append the results to this markdown file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--queries", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    results: list[dict[str, Any]] = []
    for n, target in enumerate(args.target):
        scale, place = target.split("=", 1)
        env = ensure_demo(place, scale)
        out = workdir / f"result-{n}.json"
        command = [sys.executable, __file__, "--child", "--queries", str(workdir / f"queries-{scale}.json")]
        command += ["--out", str(out)] + (["--rebuild"] if args.rebuild else [])
        subprocess.run(command, env=env, check=True)  # noqa: S603
        results.append({"scale": scale, **json.loads(out.read_text())})
    report = render(results, " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]))
    print(report)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as fh:
            fh.write("\n" + report)


def render(results: list[dict[str, Any]], command: str) -> str:
    n_common = len(COMMON_ONE_WORD) + len(COMMON_TWO_WORDS)
    lines = [
        "## Search (一网四库)",
        "",
        f"Measured {dt.date.today().isoformat()} with (scratch demo databases, kept between runs):",
        "",
        "```sh",
        f".venv/bin/python {command}",
        "```",
        "",
        "End to end through `search()` as the office user (segmentation, access filter, ranking,",
        f"facets, snippets) after a warm-up pass, on 200 original timing queries plus {n_common} common-word",
        f"queries ({len(COMMON_ONE_WORD)} one-word, {len(COMMON_TWO_WORDS)} two-word); tantivy on the same"
        " index rows (same jieba",
        "tokens, our fields and boosts: BM25 over the tokens, the names field boosted), top 10 with the",
        "hit count, segmentation included. p50 / p95 / max in ms.",
        "",
        "| scale | engine | documents | whole set | original 200 | common words | p95 ÷ tantivy AND | nDCG@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def cell(s: dict[str, float]) -> str:
        return f"{s['p50']} / {s['p95']} / {s['max']}"

    tantivy_p95: dict[str, float] = {}
    for r in results:
        if "tantivy" in r:
            tantivy_p95[r["scale"]] = r["tantivy"]["and"]["all"]["p95"]
    for r in results:
        o = r["ours"]
        base = tantivy_p95.get(r["scale"])
        ratio = o["all"]["p95"] / base if base else float("nan")
        lines.append(
            f"| {r['scale']} | {r['vendor']} | {r['documents']:,} | {cell(o['all'])} | {cell(o['old'])} | "
            f"{cell(o['common'])} | {ratio:.0f}× | {r['ndcg_ours']} |"
        )
        if "tantivy" in r:
            t = r["tantivy"]
            for mode, label in (("and", "AND"), ("or", "OR"), ("and_or", "AND, then OR below a page")):
                ratio = t[mode]["all"]["p95"] / base if base else float("nan")
                lines.append(
                    f"| {r['scale']} | tantivy {label} | {t['documents']:,} | {cell(t[mode]['all'])} | "
                    f"{cell(t[mode]['old'])} | {cell(t[mode]['common'])} | {ratio:.1f}× | {t[f'ndcg_{mode}']} |"
                )
    lines.append("")
    for r in results:
        extra = f", full rebuild {r['rebuild_s']} s" if "rebuild_s" in r else ""
        first = r["first_search"]
        slowest = ", ".join(f"{q} {ms:.0f} ms" for ms, q in r["slowest"])
        lines.append(
            f"- {r['scale']} {r['vendor']}: query modes {r['ours']['modes']}; segmentation p95 "
            f"{r['segmentation']['p95']} ms{extra}; first search in a fresh process {first['cold_ms']:.0f} ms"
            f" cold, {first['warm_ms']:.0f} ms after the start-up warm-up ({first['warm_up_s']} s in the"
            f" background); slowest: {slowest}."
        )
        if "tantivy" in r:
            lines.append(f"- {r['scale']} tantivy index built in {r['tantivy']['build_s']} s.")
    by_scale: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_scale[r["scale"]].append(r)
    for scale, group in by_scale.items():
        if len(group) > 1:
            first_tops = group[0]["tops"]
            same = sum(all(g["tops"][i] == top for g in group) for i, top in enumerate(first_tops))
            lines.append(
                f"- {scale}: identical top 10 on every vendor for {same} of {len(first_tops)} queries."
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
