"""Relevance of the product's own text analysis and scoring on a BEIR collection (SciFact by default).

    python bench/relevance.py [--corpus corpus.jsonl] [--queries queries.jsonl] [--qrels qrels.tsv]
                              [--run-out run.txt] [--limit-queries N]

Indexes the collection (`_id`, `title`, `text`) into a temporary on-disk Whoosh index with the analyzer, the
field boosts of `kb/searchable.py` and the weighting model of `kb/analysis.py`, set up the way `kb/indexer.py` sets up the product's
`title` and `body` fields (boosts are index-time field boosts there, so they are here too). Each query is a
disjunction (OR) of its analyzed terms over title and body; a word the query repeats counts as often as it appears.
The top 100 documents are scored with nDCG@10 (graded, linear gains, as trec_eval's ndcg_cut), MRR@10 and
Recall@100, averaged over the queries that have at least one relevant document in the qrels; the rest are skipped.
A TREC run file (`qid Q0 docid rank score tag`) can be written for trec_eval or pytrec_eval.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh import fields, index, query
from whoosh.analysis import Analyzer
from whoosh.query.compound import PreloadedOr
from whoosh.scoring import WeightingModel

from kb import analysis
from kb.searchable import TEXT_FIELDS

DATA = Path("/work/shared/data/ir/scifact")
DEPTH = 100
CUTOFF = 10

Run = dict[str, list[tuple[str, float]]]  # qid -> [(docid, score)] best first
Qrels = dict[str, dict[str, int]]  # qid -> docid -> grade


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    text: str


@dataclass(frozen=True)
class Scores:
    ndcg: float
    mrr: float
    recall: float
    queries: int


def read_corpus(path: Path) -> list[Document]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [Document(str(r["_id"]), str(r.get("title") or ""), str(r.get("text") or "")) for r in rows]


def read_queries(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return {str(r["_id"]): str(r["text"]) for r in rows}


def read_qrels(path: Path) -> Qrels:
    """BEIR qrels: tab-separated `query-id corpus-id score`, with a header line."""
    qrels: Qrels = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) < 3 or row[0] == "query-id":
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def build_index(
    folder: Path, docs: Iterable[Document], analyzer: Analyzer, boosts: Mapping[str, float]
) -> index.FileIndex:
    schema = fields.Schema(
        doc_id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=analyzer, field_boost=boosts["title"]),
        body=fields.TEXT(analyzer=analyzer, field_boost=boosts["body"]),
    )
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(doc_id=doc.doc_id, title=doc.title, body=doc.text)
    writer.commit()
    return ix


def make_query(text: str, analyzer: Analyzer) -> query.Query | None:
    """OR of every analyzed term in title and body; a repeated word is weighted by its count.

    PreloadedOr scores exactly like `query.Or` (the sum of the matching terms' scores; same top 100 checked on
    100 SciFact queries) but is about twice as fast on a long disjunction as Or's tree of union matchers.
    """
    counts = Counter(t.text for t in analyzer(text))
    terms: list[query.Query] = [
        query.Term(field, term, boost=float(n)) for term, n in counts.items() for field in ("title", "body")
    ]
    return PreloadedOr(terms) if terms else None


def retrieve(
    ix: index.FileIndex,
    queries: Mapping[str, str],
    analyzer: Analyzer,
    weighting: WeightingModel,
    depth: int = DEPTH,
) -> Run:
    run: Run = {}
    with ix.searcher(weighting=weighting) as searcher:
        for qid, text in queries.items():
            q = make_query(text, analyzer)
            if q is None:
                run[qid] = []
                continue
            hits = searcher.search(q, limit=depth)
            run[qid] = [(hit["doc_id"], float(hit.score)) for hit in hits]
    return run


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    for i, d in enumerate(ranked[:k]):
        if judged.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = DEPTH) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(run: Run, qrels: Qrels) -> Scores:
    judged_queries = [q for q in run if any(g > 0 for g in qrels.get(q, {}).values())]
    if not judged_queries:
        return Scores(0.0, 0.0, 0.0, 0)
    totals = [0.0, 0.0, 0.0]
    for qid in judged_queries:
        ranked = [d for d, _ in run[qid]]
        totals[0] += ndcg_at(ranked, qrels[qid])
        totals[1] += mrr_at(ranked, qrels[qid])
        totals[2] += recall_at(ranked, qrels[qid])
    n = len(judged_queries)
    return Scores(totals[0] / n, totals[1] / n, totals[2] / n, n)


def write_run(run: Run, path: Path, tag: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        for qid, hits in run.items():
            for rank, (doc_id, score) in enumerate(hits, start=1):
                out.write(f"{qid} Q0 {doc_id} {rank} {score:.6f} {tag}\n")


def measure(
    docs: Sequence[Document],
    queries: Mapping[str, str],
    qrels: Qrels,
    analyzer: Analyzer,
    weighting: WeightingModel,
    boosts: Mapping[str, float],
) -> tuple[Scores, Run]:
    """Index, retrieve and score with one configuration; the index lives in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as tmp:
        ix = build_index(Path(tmp), docs, analyzer, boosts)
        try:
            run = retrieve(ix, queries, analyzer, weighting)
        finally:
            ix.close()
    return evaluate(run, qrels), run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DATA / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=DATA / "queries_train.jsonl")
    parser.add_argument("--qrels", type=Path, default=DATA / "qrels_train.tsv")
    parser.add_argument("--run-out", type=Path, default=None, help="write a TREC run file here")
    parser.add_argument("--limit-queries", type=int, default=None, help="only the first N judged queries")
    parser.add_argument("--tag", default="kb-analysis", help="run tag in the TREC run file")
    args = parser.parse_args(argv)

    docs = read_corpus(args.corpus)
    qrels = read_qrels(args.qrels)
    queries = {q: t for q, t in read_queries(args.queries).items() if q in qrels}
    if args.limit_queries is not None:
        queries = dict(list(queries.items())[: args.limit_queries])

    started = time.perf_counter()
    scores, run = measure(
        docs,
        queries,
        qrels,
        analysis.stemming_analyzer(),
        analysis.weighting(),
        {f.name: f.boost for f in TEXT_FIELDS},
    )
    elapsed = time.perf_counter() - started
    if args.run_out is not None:
        write_run(run, args.run_out, args.tag)

    print(f"collection   {args.corpus} ({len(docs)} documents)")
    print(f"queries      {scores.queries} judged, top {DEPTH} each ({elapsed:.1f} s index + search)")
    print(f"nDCG@{CUTOFF}      {scores.ndcg:.4f}")
    print(f"MRR@{CUTOFF}       {scores.mrr:.4f}")
    print(f"Recall@{DEPTH}   {scores.recall:.4f}")
    if args.run_out is not None:
        print(f"run file     {args.run_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
