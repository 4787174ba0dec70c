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
    return {"timing": timing, "labelled": labelled}


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
    segmenter.ensure_loaded()

    def ours(query: str) -> list[str]:
        return [f"{h.kind}:{h.object_id}" for h in search(user, query, page_size=PAGE).hits]

    for query in sets["timing"]:  # warm-up: caches, the planner, the page cache
        ours(query)
    times: list[float] = []
    tops: list[list[str]] = []
    modes: dict[str, int] = defaultdict(int)
    for query in sets["timing"]:
        started = time.perf_counter()
        results = search(user, query, page_size=PAGE)
        times.append((time.perf_counter() - started) * 1000)
        tops.append([f"{h.kind}:{h.object_id}" for h in results.hits[:10]])
        modes[results.mode or "none"] += 1
    result["ours"] = {**summary(times), "modes": dict(modes)}
    result["tops"] = tops
    result["ndcg_ours"] = round(
        sum(ndcg_at_10(ours(q["query"]), q["relevant"]) for q in sets["labelled"]) / len(sets["labelled"]), 3
    )
    seg = []
    for query in sets["timing"]:
        started = time.perf_counter()
        segmenter.query_terms(query)
        seg.append((time.perf_counter() - started) * 1000)
    result["segmentation"] = summary(seg)
    if connection.vendor == "sqlite":
        result["tantivy"] = run_tantivy(sets, user.zone_id)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False))


def run_tantivy(sets: dict[str, Any], zone_id: int) -> dict[str, Any]:
    import tantivy

    from talentpark.core.search.models import SearchDocument
    from talentpark.core.search.segmenter import segmenter

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_text_field("tokens", tokenizer_name="ws", index_option="freq")
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
    rows = SearchDocument.objects.values_list("kind", "object_id", "zone_id", "tokens").iterator(
        chunk_size=5000
    )
    for kind, object_id, zone, tokens in rows:
        writer.add_document(tantivy.Document(key=f"{kind}:{object_id}", tokens=tokens, zone=zone))
    writer.commit()
    writer.wait_merging_threads()
    idx.reload()
    build_s = time.perf_counter() - started
    searcher = idx.searcher()
    zone_q = tantivy.Query.term_query(schema, "zone", zone_id)

    def query_for(tokens: tuple[str, ...], occur: Any) -> Any:
        parts = [(occur, tantivy.Query.term_query(schema, "tokens", t)) for t in tokens]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, zone_q), *parts])

    def run(query: str, mode: str) -> list[str]:
        tokens = segmenter.query_terms(query).required
        if not tokens:
            return []
        if mode in ("and", "and_or"):
            found = searcher.search(query_for(tokens, tantivy.Occur.Must), 10)
            if mode == "and" or found.count >= PAGE or len(tokens) < 2:
                return [searcher.doc(a)["key"][0] for _, a in found.hits]
        found = searcher.search(query_for(tokens, tantivy.Occur.Should), 10)
        return [searcher.doc(a)["key"][0] for _, a in found.hits]

    out: dict[str, Any] = {"build_s": round(build_s, 1), "documents": searcher.num_docs}
    for mode in ("and", "or", "and_or"):
        for query in sets["timing"]:
            run(query, mode)
        times = []
        for query in sets["timing"]:
            started = time.perf_counter()
            run(query, mode)
            times.append((time.perf_counter() - started) * 1000)
        out[mode] = summary(times)
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
        "facets, snippets), 200 timing queries after a warm-up pass; tantivy on the same index rows",
        "(same jieba tokens), top 10 with the hit count, segmentation included.",
        "",
        "| scale | engine | documents | p50 (ms) | p95 (ms) | max (ms) | p95 ÷ tantivy AND p95 | nDCG@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    tantivy_p95: dict[str, float] = {}
    for r in results:
        if "tantivy" in r:
            tantivy_p95[r["scale"]] = r["tantivy"]["and"]["p95"]
    for r in results:
        ratio = r["ours"]["p95"] / tantivy_p95[r["scale"]] if tantivy_p95.get(r["scale"]) else float("nan")
        lines.append(
            f"| {r['scale']} | {r['vendor']} | {r['documents']:,} | {r['ours']['p50']} | {r['ours']['p95']} | "
            f"{r['ours']['max']} | {ratio:.0f}× | {r['ndcg_ours']} |"
        )
        if "tantivy" in r:
            t = r["tantivy"]
            for mode, label in (("and", "AND"), ("or", "OR"), ("and_or", "AND, then OR below a page")):
                ratio = t[mode]["p95"] / tantivy_p95[r["scale"]]
                lines.append(
                    f"| {r['scale']} | tantivy {label} | {t['documents']:,} | {t[mode]['p50']} | "
                    f"{t[mode]['p95']} | {t[mode]['max']} | {ratio:.1f}× | {t[f'ndcg_{mode}']} |"
                )
    lines.append("")
    for r in results:
        extra = f", full rebuild {r['rebuild_s']} s" if "rebuild_s" in r else ""
        lines.append(
            f"- {r['scale']} {r['vendor']}: query modes {r['ours']['modes']}; segmentation p95 "
            f"{r['segmentation']['p95']} ms{extra}."
        )
        if "tantivy" in r:
            lines.append(f"- {r['scale']} tantivy index built in {r['tantivy']['build_s']} s.")
    by_scale: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_scale[r["scale"]].append(r)
    for scale, group in by_scale.items():
        if len(group) > 1:
            first = group[0]["tops"]
            same = sum(all(g["tops"][i] == top for g in group) for i, top in enumerate(first))
            lines.append(
                f"- {scale}: identical top 10 on every vendor for {same} of {len(group[0]['tops'])} queries."
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
