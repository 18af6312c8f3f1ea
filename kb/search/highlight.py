"""Result entries: stored fields, with the query's words marked in the title and in a snippet of the text.

Highlighting runs on the stored original text, so readers see the words as written (not stems), with
`stemmed_spans`, a tested copy of the index's analyser, and Whoosh's context fragmenter and fragment scorer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from whoosh import highlight

from kb.analysis import stemmed_spans
from kb.indexer import OPEN_END
from kb.search.plan import Plan
from kb.search.results import Hit, Segment
from kb.search.view import View
from kb.vocabulary import NOT_STATED

SNIPPET_SOURCE_CHARS = 2000  # highlighting re-analyses text: only the opening of the body is searched for one
_MARK_START, _MARK_END = "\x02", "\x03"
_FIELDS = ("title", "summary", "body")


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
    """Marks matches with control characters, turned into segments below."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return _MARK_START + str(highlight.get_text(text, token, replace)) + _MARK_END

    def _text(self, text: str) -> str:
        return text


_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.ContextFragmenter(maxchars=220, surround=70), formatter=_MarkFormatter()
)


def marked_words(plan: Plan) -> dict[str, frozenset[str]]:
    """The terms of the plan in each prose field: what to mark."""
    found: dict[str, set[str]] = {f: set() for f in _FIELDS}
    for group in plan.groups:
        for clause in group.clauses:
            for unit in clause.units:
                for field, term in unit.terms:
                    if field in found:
                        found[field].add(term)
    return {f: frozenset(words) for f, words in found.items()}


def hits(view: View, docs: Iterable[int], plan: Plan | None, scores: dict[int, float]) -> list[Hit]:
    """Hits for these documents in order; marked when there is a plan with words."""
    words = marked_words(plan) if plan is not None and plan.has_text else None
    out = []
    for docnum in docs:
        fields = view.searcher.stored_fields(docnum)
        hit = plain_hit(fields)
        if words is not None:
            body = str(fields.get("body", ""))[:SNIPPET_SOURCE_CHARS]
            snippet = _segments(_highlight(view, docnum, "body", body, words["body"], top=2))
            if not snippet:
                snippet = _segments(_highlight(view, docnum, "summary", hit.summary, words["summary"]))
            hit.snippet = snippet
            hit.title_marked = mark_whole(view, docnum, hit.title, words["title"]) or hit.title_marked
            hit.score = round(scores[docnum], 4) if docnum in scores else None
        out.append(hit)
    return out


def plain_hit(fields: dict[str, Any]) -> Hit:
    end = fields.get("end_year")
    return Hit(
        slug=fields["slug"], title=fields["title"], summary=fields["summary"],
        organisation=fields.get("organisation", ""), regions=_split(fields.get("regions")),
        countries=_split(fields.get("countries")), themes=_split(fields.get("themes")),
        scope=str(fields.get("scope", "")), status=fields.get("status", ""), start_year=fields.get("start_year", 0),
        end_year=None if end is None or end == OPEN_END else int(end),
        organisation_type=str(fields.get("organisation_type", "")), target_groups=_split(fields.get("target_groups")),
        evidence_level=str(fields.get("evidence_level", "")).replace(NOT_STATED, ""), score=None, snippet=[], title_marked=[Segment(fields["title"], False)],
    )  # fmt: skip


def _split(value: Any) -> list[str]:
    return [v for v in str(value or "").split(",") if v]


def _spans(view: View, docnum: int, field: str, text: str) -> list[tuple[str | None, int, int]]:
    key = (field, f"{docnum}")
    spans = view.spans_cache.get(key)
    if spans is None:
        spans = list(stemmed_spans(text))
        view.spans_cache.put(key, spans)
    return spans


def mark_whole(view: View, docnum: int, text: str, words: frozenset[str]) -> list[Segment]:
    """The whole title with the query's words marked (a fragment would drop what follows the last word)."""
    out: list[Segment] = []
    done = 0
    for term, start, end in _spans(view, docnum, "title", text) if words else []:
        if term is not None and term in words:
            if start > done:
                out.append(Segment(text[done:start], False))
            out.append(Segment(text[start:end], True))
            done = end
    if out and done < len(text):
        out.append(Segment(text[done:], False))
    return out


def _highlight(view: View, docnum: int, field: str, text: str, words: frozenset[str], top: int = 1) -> str:
    if not words:
        return ""
    spans = _spans(view, docnum, field, text)
    tokens = [_Token(term or "", a, b, term is not None and term in words) for term, a, b in spans]
    fragments = _HIGHLIGHTER.fragmenter.fragment_tokens(text, tokens)
    fragments = highlight.top_fragments(fragments, top, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order)
    return str(_HIGHLIGHTER.formatter.format(fragments))


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
