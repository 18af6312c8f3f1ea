"""Answer a search: bounded query, fuzzy region/theme filters, facet counts, highlights, suggestions, similar entries.

Only this module and `indexer` import Whoosh. Readers never write: they open the committed index that
`CURRENT` names and reopen it as soon as a reindex commits a new generation or switches folders.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import re
import threading
import time
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any, Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import highlight, query
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from kb import querylang
from kb.analysis import (
    BM25_B,
    BM25_K1,
    field_lengths,
    folding_analyzer,
    stemmed_spans,
    stemming_analyzer,
    term_weights,
    weighting,
)
from kb.errors import IndexNotBuilt, QueryError
from kb.filters import Kind, Resolution, label_of, resolve
from kb.folding import fold
from kb.indexer import OPEN_END, current_folder, open_current, whoosh_root
from kb.taxonomy import Taxonomy

SORTS = ("relevance", "newest", "title")
STATUSES = ("ongoing", "completed", "pilot")
FACETS = ("region", "country", "theme", "status")
_FACET_FIELD = {"region": "regions", "country": "countries", "theme": "themes", "status": "status"}
TEXT_FIELDS = ("title", "summary", "body", "organisation", "keywords", "places", "topics")
PHRASE_FIELDS = ("title", "summary", "body")
MAX_PREFIX_TERMS = 64
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
# Per-view caches of posting tables, bounded by the documents they hold (a common word's table at 10k entries
# holds 10k), so that any mix of queries keeps a worker's memory bounded: about 100 MB each at most.
SCORE_CACHE_POSTINGS = 1_000_000
PHRASE_CACHE_POSTINGS = 500_000
# Words of the texts highlighted recently (popular entries come back on many result pages): about 30 MB at most.
SPANS_CACHE_WORDS = 300_000
SNIPPET_SOURCE_CHARS = 2000
_MARK_START, _MARK_END = "\x02", "\x03"


@dataclasses.dataclass
class SearchRequest:
    q: str = ""
    regions: list[str] = dataclasses.field(default_factory=list)  # keys or typed names
    themes: list[str] = dataclasses.field(default_factory=list)
    countries: list[str] = dataclasses.field(default_factory=list)
    statuses: list[str] = dataclasses.field(default_factory=list)
    sort: str = ""  # "" means relevance with words, title without
    page: int = 1
    page_size: int = 10
    lang: str = "en"


@dataclasses.dataclass
class Segment:
    text: str
    match: bool


@dataclasses.dataclass
class Hit:
    slug: str
    title: str
    summary: str
    organisation: str
    regions: list[str]
    countries: list[str]
    themes: list[str]
    status: str
    start_year: int
    end_year: int | None
    score: float | None
    snippet: list[Segment]
    title_marked: list[Segment]


@dataclasses.dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool


@dataclasses.dataclass
class FilterChoice:
    """How one typed filter value was read: applied key, close alternatives, or nothing plausible."""

    kind: str
    typed: str
    status: str  # resolved, ambiguous, unknown
    key: str | None
    label: str | None
    exact: bool
    alternatives: list[dict[str, Any]]


@dataclasses.dataclass
class SearchResults:
    query: str
    total: int
    page: int
    pages: int
    page_size: int
    sort: str
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    selected: dict[str, list[str]]
    filters: list[FilterChoice]
    suggestion: str | None  # a corrected query to offer ("Did you mean")
    corrected_from: str | None  # set when the results shown are for `suggestion` instead of the typed query
    relaxed: bool  # no entry matched every word, so entries matching any word are shown
    notes: list[str]
    elapsed_ms: float


_V = TypeVar("_V", frozenset[int], dict[int, float], list[tuple[str | None, int, int]])


class _SizedCache(Generic[_V]):
    """Least recently used first out, bounded by the total size of the values (documents held)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: dict[tuple[str, str], _V] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> _V | None:
        with self._lock:
            found = self._items.pop(key, None)
            if found is not None:
                self._items[key] = found  # most recently used last
            return found

    def put(self, key: tuple[str, str], value: _V) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= len(old) if old is not None else 0
            while self._items and self.size + len(value) > self.budget:
                self.size -= len(self._items.pop(next(iter(self._items))))
            self._items[key] = value
            self.size += len(value)

    def __len__(self) -> int:
        return len(self._items)


@dataclasses.dataclass
class _View:
    """One opened searcher and what is derived from it once: facet postings and the spelling vocabulary."""

    ix: FileIndex
    searcher: Searcher
    folder: Path
    generation: int
    live: set[int]
    postings: dict[str, dict[str, set[int]]]
    # Read when first needed: docnum -> (start year, end year or OPEN_END); docnum -> folded title (sort key).
    years: dict[int, tuple[int, int]] | None = None
    titles: dict[int, str] | None = None
    phrase_cache: _SizedCache[frozenset[int]] = dataclasses.field(
        default_factory=lambda: _SizedCache(PHRASE_CACHE_POSTINGS)
    )
    score_cache: _SizedCache[dict[int, float]] = dataclasses.field(
        default_factory=lambda: _SizedCache(SCORE_CACHE_POSTINGS)
    )
    spans_cache: _SizedCache[list[tuple[str | None, int, int]]] = dataclasses.field(
        default_factory=lambda: _SizedCache(SPANS_CACHE_WORDS)
    )
    norms: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    vocabulary: list[str] | None = None


class SearchEngine:
    """A long-lived reader over the current index; safe to share between threads of one process."""

    def __init__(self, index_dir: Path, taxonomy: Taxonomy, fuzzy_cutoff: float = 60.0) -> None:
        self.root = whoosh_root(index_dir)
        self.taxonomy = taxonomy
        self.fuzzy_cutoff = fuzzy_cutoff
        self._lock = threading.Lock()
        self._view: _View | None = None
        self._stem = stemming_analyzer()
        self._plain = folding_analyzer()
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.ContextFragmenter(maxchars=220, surround=70), formatter=_MarkFormatter()
        )

    # -- opening and refreshing ----------------------------------------------------------------------------
    def view(self) -> _View:
        """The current view, reopened when a reindex committed (new generation) or switched folders.

        `up_to_date()` alone is not enough: a full rebuild into a fresh folder starts again at the same
        generation number, so the folder name and the generation are compared together.
        """
        with self._lock:
            folder = current_folder(self.root)
            if folder is None:
                self._close()
                raise IndexNotBuilt(f"no search index in {self.root}")
            view = self._view
            if view is not None and view.folder == folder:
                try:
                    generation = view.ix.latest_generation()
                except (OSError, ValueError):
                    generation = -2
                if generation == view.generation:
                    return view
            self._close()
            ix, folder = open_current(self.root)
            self._view = self._open(ix, folder)
            return self._view

    def _open(self, ix: FileIndex, folder: Path) -> _View:
        try:
            searcher = ix.searcher(weighting=weighting())
            reader = searcher.reader()
            live = set(reader.all_doc_ids())
            postings: dict[str, dict[str, set[int]]] = {}
            for facet, field in _FACET_FIELD.items():
                values: dict[str, set[int]] = {}
                for term in reader.lexicon(field):
                    value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                    docs = set(reader.postings(field, term).all_ids()) & live
                    if docs:
                        values[value] = docs
                postings[facet] = values
            return _View(ix, searcher, folder, ix.latest_generation(), live, postings)
        except Exception as exc:  # damaged segments fail in many ways; all mean "rebuild the index"
            raise IndexNotBuilt(f"the search index in {folder} cannot be read: {exc}") from None

    def _years(self, view: _View) -> dict[int, tuple[int, int]]:
        """Start and end years, read once per view and only when a year filter or "newest" needs them (reading
        every document's columns is a tenth of a second at 10k entries, which the first search after a reindex
        would otherwise pay)."""
        if view.years is None:
            try:
                reader = view.searcher.reader()
                starts, ends = reader.column_reader("start_year"), reader.column_reader("end_year")
                view.years = {d: (int(starts[d]), int(ends[d])) for d in view.live}
            except Exception as exc:  # as in _open: a damaged index fails in many ways
                raise IndexNotBuilt(f"the search index in {view.folder} cannot be read: {exc}") from None
        return view.years

    def _titles(self, view: _View) -> dict[int, str]:
        if view.titles is None:
            try:
                column = view.searcher.reader().column_reader("title_sort")
                view.titles = {d: _text(column[d]) for d in view.live}
            except Exception as exc:
                raise IndexNotBuilt(f"the search index in {view.folder} cannot be read: {exc}") from None
        return view.titles

    def _close(self) -> None:
        if self._view is not None:
            self._view.searcher.close()
            self._view = None

    def close(self) -> None:
        with self._lock:
            self._close()

    # -- searching ---------------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResults:
        try:
            return self._search(request)
        except (QueryError, IndexNotBuilt):
            raise
        except Exception:
            # A search that failed while reading (seen once in about 130 requests under a reindex every half
            # second, cause not pinned down) is retried once on a freshly opened view of the current index.
            with self._lock:
                self._close()
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        view = self.view()
        request = _normalise(request)
        parsed = querylang.parse(request.q)
        choices, selected, years = self._selection(request, parsed)
        notes = list(parsed.notes)
        text_query, empty_words = self._text_query(parsed, view, all_words=True)
        relaxed = False
        corrected_from: str | None = None
        suggestion = self._suggest(view, parsed) if parsed.has_text else None

        base = self._docs(view, parsed, True, years)
        # Nothing has every word: first the spelling correction (a typo is the likelier cause), then any word.
        if not base and suggestion:
            corrected = querylang.parse(suggestion)
            corrected_docs = self._docs(view, corrected, True, years)
            if corrected_docs:
                corrected_query, _ = self._text_query(corrected, view, all_words=True)
                text_query, base, corrected_from = corrected_query, corrected_docs, request.q
        if not base and parsed.has_text and len(parsed.groups) > 1:
            any_docs = self._docs(view, parsed, False, years)
            if any_docs:
                text_query, _ = self._text_query(parsed, view, all_words=False)
                base, relaxed = any_docs, True
        if empty_words and not relaxed:
            notes.append(
                "Some words are too common to search for and were left out: " + ", ".join(empty_words)
            )

        facet_sets = {f: self._facet_docs(view, f, selected[f]) for f in FACETS}
        facets = self._facets(view, base, facet_sets, selected, request.lang)
        final = set(base)
        for docs in facet_sets.values():
            if docs is not None:
                final &= docs
        total = len(final)
        size = request.page_size
        pages = max(1, math.ceil(total / size))
        page = min(request.page, pages)
        sort = request.sort or ("relevance" if parsed.has_text else "title")
        hits = self._hits(view, text_query, final, page, size, sort, parsed.has_text) if total else []
        return SearchResults(
            query=request.q, total=total, page=page, pages=pages, page_size=size, sort=sort, hits=hits,
            facets=facets, selected=selected, filters=choices,
            suggestion=suggestion, corrected_from=corrected_from,
            relaxed=relaxed, notes=notes, elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        )  # fmt: skip

    def _selection(
        self, request: SearchRequest, parsed: querylang.ParsedQuery
    ) -> tuple[list[FilterChoice], dict[str, list[str]], list[tuple[int, int]]]:
        """Resolve typed regions and themes (and field:value filters in the query) to keys."""
        choices: list[FilterChoice] = []
        selected: dict[str, list[str]] = {f: [] for f in FACETS}
        typed: dict[str, list[str]] = {
            "region": list(request.regions), "theme": list(request.themes),
            "country": list(request.countries), "status": list(request.statuses),
        }  # fmt: skip
        year_filters: list[str] = []
        for field, value in parsed.filters:
            if field == "year":
                year_filters.append(value)
            else:
                typed[field].append(value)
        for kind in ("region", "theme"):
            for value in typed[kind][:MAX_FILTER_VALUES]:
                choice = self._resolve(kind, value, request.lang)
                choices.append(choice)
                if choice.key and choice.key not in selected[kind]:
                    selected[kind].append(choice.key)
        countries = self.taxonomy.countries
        for value in typed["country"][:MAX_FILTER_VALUES]:
            code = _country_code(value, countries)
            if code is None:
                raise QueryError(f"unknown country {value[:40]!r}; use one of {', '.join(sorted(countries))}")
            if code not in selected["country"]:
                selected["country"].append(code)
        for value in typed["status"][:MAX_FILTER_VALUES]:
            status = value.strip().lower()
            if status not in STATUSES:
                raise QueryError(f"unknown status {value[:40]!r}; use one of {', '.join(STATUSES)}")
            if status not in selected["status"]:
                selected["status"].append(status)
        return choices, selected, [_parse_years(v) for v in year_filters[:4]]

    def _resolve(self, kind: Kind, value: str, lang: str) -> FilterChoice:
        res: Resolution = resolve(self.taxonomy, kind, value, cutoff=self.fuzzy_cutoff)
        key = res.chosen
        return FilterChoice(
            kind=kind, typed=value, status=res.status, key=key,
            label=label_of(self.taxonomy, kind, key, lang) if key else None, exact=res.exact,
            alternatives=[{"key": m.key, "label": label_of(self.taxonomy, kind, m.key, lang), "score": m.score}
                          for m in res.matches if m.key != key],
        )  # fmt: skip

    def _docs(
        self, view: _View, parsed: querylang.ParsedQuery, all_words: bool, years: list[tuple[int, int]]
    ) -> set[int]:
        """Matching documents by set algebra over cached posting lists: far cheaper than walking Whoosh's
        nested matchers, and it gives the whole set that facet counts need."""
        if not parsed.has_text:
            docs = set(view.live)
        else:
            groups = [set().union(*(self._clause_docs(view, c) for c in group)) for group in parsed.groups]
            groups = [
                g for g, group in zip(groups, parsed.groups, strict=True) if g or not self._empty(group)
            ]
            if not groups:
                docs = set()
            elif all_words:
                docs = set.intersection(*groups)
            else:
                docs = set().union(*groups)
        for clause in parsed.excluded:
            docs -= self._clause_docs(view, clause)
        docs &= view.live
        # Years are filtered from in-memory columns: Whoosh 2.7.4's NumericRange returned documents outside
        # wide ranges (1000-2018 matched 2019 and 2021), and a practice is "active" over a span anyway.
        for lo, hi in years:
            spans = self._years(view)
            docs = {d for d in docs if spans[d][0] <= hi and spans[d][1] >= lo}
        return docs

    def _empty(self, group: list[querylang.Clause]) -> bool:
        """True when every clause of a group is only stop words (left out rather than matching nothing)."""
        return all(not [t.text for t in self._stem(c.text)] and not [t.text for t in self._plain(c.text)]
                   for c in group if c.kind != "prefix")  # fmt: skip

    def _term_docs(self, view: _View, field: str, text: str) -> AbstractSet[int]:
        return self._term_scores(view, field, text).keys()

    def _phrase_docs(self, view: _View, phrase: query.Query) -> frozenset[int]:
        """Documents with the phrase's words in a row in its field (as Whoosh's Phrase with slop 1), checked on
        the documents having every word only: Whoosh's own span matcher took nearly a second for an 8-word
        phrase of common words at 10k entries."""
        field, words = phrase.fieldname, list(phrase.words)
        key = (field, "\x00phrase\x00" + " ".join(words))
        found = view.phrase_cache.get(key)
        if found is None:
            distinct = list(dict.fromkeys(words))
            candidates = set(view.live)
            for word in distinct:
                candidates.intersection_update(self._term_docs(view, field, word))
            positions: dict[str, dict[int, list[int]]] = {}
            reader = view.searcher.reader()
            ordered = sorted(candidates)
            for word in distinct if candidates else []:
                table: dict[int, list[int]] = {}
                matcher = reader.postings(field, word)
                for docnum in ordered:
                    if matcher.id() < docnum:
                        matcher.skip_to(docnum)
                    if not matcher.is_active():
                        break
                    if matcher.id() == docnum:
                        table[docnum] = matcher.value_as("positions")
                positions[word] = table
            out = set()
            for docnum in candidates:
                starts = set(positions[words[0]].get(docnum, ()))
                for offset, word in enumerate(words[1:], 1):
                    starts &= {p - offset for p in positions[word].get(docnum, ())}
                    if not starts:
                        break
                if starts:
                    out.add(docnum)
            found = frozenset(out)
            view.phrase_cache.put(key, found)
        return found

    def _clause_docs(self, view: _View, clause: querylang.Clause) -> set[int]:
        q = self._clause_query(clause, view)
        if q is None:
            return set()
        leaves = _leaves(q)
        if leaves and all(isinstance(leaf, query.Term) for leaf in leaves):  # a word: its cached table's keys
            return set(self._summed_scores(view, [(leaf.fieldname, leaf.text) for leaf in leaves]))
        out: set[int] = set()
        for leaf in leaves:
            if isinstance(leaf, query.Term):
                out.update(self._term_docs(view, leaf.fieldname, leaf.text))
            elif isinstance(leaf, query.And):  # all words of a name in one field
                sets = [self._term_docs(view, t.fieldname, t.text) for t in leaf.subqueries]
                out |= set.intersection(*(set(s) for s in sets)) if sets else set()
            else:  # phrases (at most 8 words), checked on word positions
                out.update(self._phrase_docs(view, leaf))
        return out

    def _facet_docs(self, view: _View, facet: str, keys: list[str]) -> set[int] | None:
        """Documents having any of the selected values (OR inside a facet); None when nothing is selected."""
        if not keys:
            return None
        out: set[int] = set()
        for key in keys:
            out |= view.postings[facet].get(key.lower(), set())
        return out

    def _facets(
        self, view: _View, base: set[int], facet_sets: dict[str, set[int] | None],
        selected: dict[str, list[str]], lang: str,
    ) -> dict[str, list[FacetValue]]:  # fmt: skip
        """Each facet counted as if its own selection were not applied, so other values stay useful."""
        out: dict[str, list[FacetValue]] = {}
        for facet in FACETS:
            docs = set(base)
            for other, other_docs in facet_sets.items():
                if other != facet and other_docs is not None:
                    docs &= other_docs
            values = []
            for key in self._facet_keys(facet):
                postings = view.postings[facet].get(key.lower(), set())
                count = len(docs & postings)
                chosen = key in selected[facet]
                if count or chosen:
                    values.append(FacetValue(key, self._label(facet, key, lang), count, chosen))
            values.sort(key=lambda v: (-v.count, v.label))
            out[facet] = values
        return out

    def _facet_keys(self, facet: str) -> list[str]:
        if facet == "region":
            return list(self.taxonomy.regions)
        if facet == "theme":
            return list(self.taxonomy.themes)
        if facet == "country":
            return sorted(self.taxonomy.countries)
        return list(STATUSES)

    def _label(self, facet: str, key: str, lang: str) -> str:
        if facet in {"region", "theme"}:
            return label_of(self.taxonomy, facet, key, lang)  # type: ignore[arg-type]
        if facet == "country":
            return self.taxonomy.countries.get(key, key)
        return key.capitalize()

    # -- building the text query --------------------------------------------------------------------------
    def _text_query(
        self, parsed: querylang.ParsedQuery, view: _View, all_words: bool
    ) -> tuple[query.Query, list[str]]:
        if not parsed.has_text:
            q: query.Query = query.Every()
            dropped: list[str] = []
        else:
            parts: list[query.Query] = []
            dropped = []
            for group in parsed.groups:
                alternatives = [self._clause_query(c, view) for c in group]
                kept = [a for a in alternatives if a is not None]
                if not kept:
                    dropped.extend(c.text for c in group)
                    continue
                parts.append(kept[0] if len(kept) == 1 else query.Or(kept))
            if not parts:
                q = query.NullQuery
            elif all_words:
                q = parts[0] if len(parts) == 1 else query.And(parts)
            else:
                q = query.Or(parts)
        excluded = [x for x in (self._clause_query(c, view) for c in parsed.excluded) if x is not None]
        if excluded:
            q = query.AndNot(q, query.Or(excluded))
        return q, dropped

    def _clause_query(self, clause: querylang.Clause, view: _View) -> query.Query | None:
        if clause.kind == "prefix":
            reader = view.searcher.reader()
            stem = fold(clause.text)
            alternatives: list[query.Query] = []
            for field in ("title", "summary", "body", "organisation"):
                for i, term in enumerate(reader.expand_prefix(field, stem)):
                    if i >= MAX_PREFIX_TERMS:
                        break
                    text = term.decode("utf-8") if isinstance(term, bytes) else term
                    alternatives.append(query.Term(field, text))
            return query.Or(alternatives) if alternatives else query.NullQuery
        stems = [t.text for t in self._stem(clause.text)]
        plains = [t.text for t in self._plain(clause.text)]
        if not stems and not plains:
            return None
        if len(plains) > 1 or clause.kind == "phrase":
            # Several words in a row: a phrase in the prose fields, all the words in the name fields.
            options: list[query.Query] = []
            if len(stems) > 1:
                options.extend(query.Phrase(f, stems) for f in PHRASE_FIELDS)
            elif stems:
                options.extend(query.Term(f, stems[0]) for f in PHRASE_FIELDS)
            options.extend(query.And([query.Term(f, w) for w in plains]) for f in ("organisation", "places"))
            return query.Or(options)
        options = []
        for field in TEXT_FIELDS:
            words = plains if field in {"organisation", "places"} else stems
            if words:
                options.append(query.Term(field, words[0]))
        return query.Or(options)

    # -- results ---------------------------------------------------------------------------------------------------
    def _hits(
        self, view: _View, q: query.Query, final: set[int], page: int, size: int, sort: str, scored: bool
    ) -> list[Hit]:
        """One page of hits, ranked here rather than by Whoosh's collector.

        Every match is scored as Whoosh would score the query (the sum of each matching term's BM25 score from
        the same weighting model), but from per-term score tables cached with the view: walking Whoosh's nested
        matchers for every match was about nine tenths of a search's time on 10,000 entries.
        """
        units = _scoring_units(q) if scored else []
        scores = self._scores(view, units, final) if units else {}
        wanted = page * size
        if sort == "relevance" and scored:
            ranked = [d for _score, d in heapq.nsmallest(wanted, [(-scores.get(d, 0.0), d) for d in final])]
        elif sort == "newest":
            years, titles = self._years(view), self._titles(view)
            ranked = heapq.nsmallest(wanted, final, key=lambda d: (-years[d][0], titles[d], d))
        else:
            titles = self._titles(view)
            ranked = heapq.nsmallest(wanted, final, key=lambda d: (titles[d], d))
        pairs = [pair for terms, _condition in units for pair in terms]
        words = {f: frozenset(t for g, t in pairs if g == f) for f in ("title", "body", "summary")}
        hits: list[Hit] = []
        for docnum in ranked[(page - 1) * size : page * size]:
            fields = view.searcher.stored_fields(docnum)
            snippet: list[Segment] = []
            title: list[Segment] = []
            if scored:
                # Highlighting re-analyses the text, so only the opening of the body is searched for a snippet
                # (measured: about half of a search's time went to highlighting whole bodies).
                body = str(fields.get("body", ""))[:SNIPPET_SOURCE_CHARS]
                snippet = _segments(self._highlight(view, docnum, "body", body, words["body"], top=2))
                if not snippet:
                    summary = fields["summary"]
                    snippet = _segments(self._highlight(view, docnum, "summary", summary, words["summary"]))
                title = self._mark_whole(view, docnum, "title", fields["title"], words["title"])
            hits.append(Hit(
                slug=fields["slug"], title=fields["title"], summary=fields["summary"],
                organisation=fields.get("organisation", ""), regions=_split(fields.get("regions")),
                countries=_split(fields.get("countries")), themes=_split(fields.get("themes")),
                status=fields.get("status", ""), start_year=fields.get("start_year", 0),
                end_year=_end_year(fields),
                score=round(scores.get(docnum, 0.0), 4) if scored else None,
                snippet=snippet, title_marked=title or [Segment(fields["title"], False)],
            ))  # fmt: skip
        return hits

    def _scores(self, view: _View, units: list[_Unit], docs: set[int]) -> dict[int, float]:
        """Each document's score: the sum of its matching terms' scores, a phrase's or a name's words counting
        only where the whole phrase or name matches (Whoosh's Or and And add their parts' scores)."""
        scores = dict.fromkeys(docs, 0.0)
        for terms, condition in units:
            allowed = scores.keys() if condition is None else scores.keys() & self._unit_docs(view, condition)
            tables = [self._summed_scores(view, terms)] if condition is None else [
                self._term_scores(view, field, text) for field, text in terms
            ]  # fmt: skip
            for table in tables:
                if len(table) < len(allowed):
                    for docnum, score in table.items():
                        if docnum in allowed:
                            scores[docnum] += score
                else:
                    for docnum in allowed:
                        if docnum in table:
                            scores[docnum] += table[docnum]
        return scores

    def _summed_scores(self, view: _View, terms: list[tuple[str, str]]) -> dict[int, float]:
        """One word's score over all the fields it is looked for in, cached: a query then adds one table per
        word instead of one per word and field (seven)."""
        if len(terms) == 1:
            return self._term_scores(view, *terms[0])
        key = ("\x00sum", "\x00".join(f"{field}:{text}" for field, text in terms))
        found = view.score_cache.get(key)
        if found is None:
            found = {}
            for field, text in terms:
                for docnum, score in self._term_scores(view, field, text).items():
                    found[docnum] = found.get(docnum, 0.0) + score
            view.score_cache.put(key, found)
        return found

    def _unit_docs(self, view: _View, condition: query.Query) -> AbstractSet[int]:
        if isinstance(condition, query.Phrase):
            return self._phrase_docs(view, condition)
        return set.intersection(
            *(set(self._term_docs(view, t.fieldname, t.text)) for t in condition.subqueries)
        )

    def _term_scores(self, view: _View, field: str, text: str) -> dict[int, float]:
        """Each document's BM25 score for one term in one field (its keys: the documents having the term).

        The same figure as the searcher's weighting model (`kb.analysis.OkapiBM25F`) gives, computed from the
        posting weights and the field lengths cached with the view (asking Whoosh for each document's length
        was a third of the time). A test compares both on single- and multi-segment indexes.
        """
        key = (field, text)
        found = view.score_cache.get(key)
        if found is None:
            found = {}
            searcher = view.searcher
            reader = searcher.reader()
            if key in reader:
                norms = self._norms(view, field)
                idf = searcher.idf(field, text)
                k1 = BM25_K1 + 1.0
                found = {d: idf * w * k1 / (w + norms[d]) for d, w in term_weights(reader, field, text)}
            view.score_cache.put(key, found)
        return found

    def _norms(self, view: _View, field: str) -> list[float]:
        """BM25's length normalisation, K1 * (1 - B + B * length / average length), for every document."""
        found = view.norms.get(field)
        if found is None:
            lengths = field_lengths(view.searcher.reader(), field)
            average = view.searcher.avg_field_length(field) or 1
            found = [BM25_K1 * ((1 - BM25_B) + BM25_B * length / average) for length in lengths]
            view.norms[field] = found
        return found

    def _spans(self, view: _View, docnum: int, field: str, text: str) -> list[tuple[str | None, int, int]]:
        key = (field, f"{docnum}")
        spans = view.spans_cache.get(key)
        if spans is None:
            spans = list(stemmed_spans(text))
            view.spans_cache.put(key, spans)
        return spans

    def _mark_whole(
        self, view: _View, docnum: int, field: str, text: str, words: frozenset[str]
    ) -> list[Segment]:
        """The whole text with the query's words marked (titles: a fragment would drop what follows the last
        word, such as a closing parenthesis)."""
        out: list[Segment] = []
        done = 0
        for term, start, end in self._spans(view, docnum, field, text) if words else []:
            if term is not None and term in words:
                if start > done:
                    out.append(Segment(text[done:start], False))
                out.append(Segment(text[start:end], True))
                done = end
        if out and done < len(text):
            out.append(Segment(text[done:], False))
        return out

    def _highlight(
        self,
        view: _View,
        docnum: int,
        field: str,
        text: str,
        words: frozenset[str],
        top: int = 1,
    ) -> str:
        """The best fragments of a stemmed field's text around the query's words, marked (Whoosh's context
        fragmenter and scorer, fed by `stemmed_spans` rather than by re-running the analyser chain)."""
        if not words:
            return ""
        spans = self._spans(view, docnum, field, text)
        tokens = [_Token(term or "", a, b, term is not None and term in words) for term, a, b in spans]
        highlighter = self._highlighter
        fragments = highlighter.fragmenter.fragment_tokens(text, tokens)
        fragments = highlight.top_fragments(fragments, top, highlighter.scorer, highlighter.order)
        return str(highlighter.formatter.format(fragments))

    def similar(self, slug: str, limit: int = 5) -> list[Hit]:
        """Practices sharing the most distinctive words of this one's text."""
        view = self.view()
        docnum = view.searcher.document_number(slug=slug)
        if docnum is None:
            return []
        results = view.searcher.more_like(docnum, "body", top=limit, numterms=20)
        return [_plain_hit(h.fields()) for h in results]

    def lookup(self, slugs: Sequence[str]) -> list[Hit]:
        view = self.view()
        out = []
        for slug in slugs:
            fields = view.searcher.document(slug=slug)
            if fields:
                out.append(_plain_hit(fields))
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        """Practices per facet value over the whole collection (home page, region and theme lists)."""
        view = self.view()
        return {f: {k: len(v) for k, v in view.postings[f].items()} for f in FACETS}

    def total(self) -> int:
        return len(self.view().live)

    def slugs_like(self, text: str, limit: int = 5) -> list[Hit]:
        """Entries whose address is closest to a mistyped one, for a helpful 404."""
        view = self.view()
        reader = view.searcher.reader()
        slugs = [s.decode() if isinstance(s, bytes) else s for s in reader.lexicon("slug")]
        found = process.extract(text[:100], slugs, limit=limit, score_cutoff=60)
        return self.lookup([s for s, _score, _i in found])

    # -- spelling ----------------------------------------------------------------------------------------------------
    def _vocabulary(self, view: _View) -> list[str]:
        """The spelling vocabulary, read once per view when a query first has an unknown word (the terms only:
        asking a multi-segment index for every term's document count took over half a second at 10k)."""
        if view.vocabulary is None:
            words: list[str] = []
            for term in view.searcher.reader().lexicon("spell"):
                word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                if len(word) > 2 and not word.isdigit():
                    words.append(word)
            view.vocabulary = words
        return view.vocabulary

    def _suggest(self, view: _View, parsed: querylang.ParsedQuery) -> str | None:
        """A corrected query when some words are in no entry and a close, frequent word exists."""
        reader = view.searcher.reader()
        changed = False
        out: list[str] = []
        for word in parsed.words():
            tokens = [t.text for t in self._plain(word)]
            if len(tokens) != 1 or reader.doc_frequency("spell", tokens[0]) > 0 or len(tokens[0]) < 4:
                out.append(word)
                continue
            folded = tokens[0]
            limit = 1 if len(folded) <= 5 else 2
            found = process.extract(folded, self._vocabulary(view), scorer=Levenshtein.distance,
                                    score_cutoff=limit, limit=20)  # fmt: skip
            if not found:
                out.append(word)
                continue
            # The closest word, then the most common one (the document counts of these few only).
            best = min(found, key=lambda f: (f[1], -reader.doc_frequency("spell", f[0]), f[0]))
            out.append(best[0])
            changed = True
        if not changed:
            return None
        phrases = [f'"{c.text}"' for g in parsed.groups for c in g if c.kind == "phrase"]
        return " ".join(out + phrases)


class _Token:
    """What Whoosh's fragmenter, fragment scorer and formatter read of a token."""

    __slots__ = ("boost", "endchar", "matched", "startchar", "text")

    def __init__(self, text: str, startchar: int, endchar: int, matched: bool) -> None:
        self.text, self.startchar, self.endchar, self.matched, self.boost = (
            text,
            startchar,
            endchar,
            matched,
            1.0,
        )

    def copy(self) -> _Token:
        return _Token(self.text, self.startchar, self.endchar, self.matched)


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]  # whoosh is untyped
    """Marks matches with control characters; templates and the API turn them into escaped segments."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return _MARK_START + str(highlight.get_text(text, token, replace)) + _MARK_END

    def _text(self, text: str) -> str:
        return text


def _leaves(q: query.Query) -> list[query.Query]:
    """The alternatives of a clause query: Terms, And-of-Terms (names) and Phrases, from nested Ors."""
    if isinstance(q, query.Or):
        return [leaf for sub in q.subqueries for leaf in _leaves(sub)]
    return [] if q is query.NullQuery else [q]


# A part of a query that scores as one: its (field, term) pairs, and for a phrase or a name (all words in one
# field) the query a document must match for them to count, as Whoosh counts them.
_Unit = tuple[list[tuple[str, str]], query.Query | None]


def _scoring_units(q: query.Query) -> list[_Unit]:
    """What scores a match: terms, phrases and names, not what follows a minus."""
    if isinstance(q, query.AndNot):
        return _scoring_units(q.a)
    if isinstance(q, query.Term):
        return [([(q.fieldname, q.text)], None)]
    if isinstance(q, query.Or) and q.subqueries and all(isinstance(t, query.Term) for t in q.subqueries):
        return [
            ([(t.fieldname, t.text) for t in q.subqueries], None)
        ]  # a word in every field it is sought in
    if isinstance(q, query.Phrase):
        return [([(q.fieldname, w) for w in q.words], q)]
    if isinstance(q, query.And) and q.subqueries and all(isinstance(t, query.Term) for t in q.subqueries):
        return [([(t.fieldname, t.text) for t in q.subqueries], q)]
    if isinstance(q, query.compound.CompoundQuery):
        return [u for sub in q.subqueries for u in _scoring_units(sub)]
    return []


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")


def _segments(marked: str) -> list[Segment]:
    out: list[Segment] = []
    for part in re.split(f"({_MARK_START}[^{_MARK_END}]*{_MARK_END})", marked or ""):
        if not part:
            continue
        if part.startswith(_MARK_START):
            out.append(Segment(part.strip(_MARK_START + _MARK_END), True))
        else:
            out.append(Segment(part, False))
    return out


def _split(value: Any) -> list[str]:
    return [v for v in str(value or "").split(",") if v]


def _plain_hit(fields: dict[str, Any]) -> Hit:
    return Hit(
        slug=fields["slug"], title=fields["title"], summary=fields["summary"],
        organisation=fields.get("organisation", ""), regions=_split(fields.get("regions")),
        countries=_split(fields.get("countries")), themes=_split(fields.get("themes")),
        status=fields.get("status", ""), start_year=fields.get("start_year", 0),
        end_year=_end_year(fields),
        score=None, snippet=[], title_marked=[Segment(fields["title"], False)],
    )  # fmt: skip


def _end_year(fields: dict[str, Any]) -> int | None:
    end = fields.get("end_year")
    return None if end is None or end == OPEN_END else int(end)


def _normalise(request: SearchRequest) -> SearchRequest:
    if request.sort and request.sort not in SORTS:
        raise QueryError(f"unknown sort {request.sort[:30]!r}; use one of {', '.join(SORTS)}")
    if request.page < 1:
        raise QueryError("page must be 1 or more")
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}")
    return dataclasses.replace(request, page=min(request.page, 10_000))


def _country_code(value: str, countries: dict[str, str]) -> str | None:
    folded = fold(value)
    for code, name in countries.items():
        if folded in {code.lower(), fold(name)} or (code == "GR" and folded == "el"):
            return code
    return None


def _parse_years(value: str) -> tuple[int, int]:
    found = [int(y) for y in re.findall(r"\d{4}", value)][:2]
    if not found:
        raise QueryError(
            f"year filter {value[:20]!r} needs a four-digit year, such as year:2015 or year:2015-2020"
        )
    return (min(found), max(found))
