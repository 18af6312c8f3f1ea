"""The policymaker's toolkit: a selection of practices carried in the address (`p=slug`, repeatable), compared
side by side (/compare and its JSON twin /api/compare), and taken away as a brief (Word or Markdown)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from kb import brief
from kb.compare import MAX_PRACTICES, Comparison, Notice, Words, compare, plan_selection
from webapp.i18n import current_language
from webapp.labels import evidence_labels, organisation_type_labels, scope_labels, status_labels
from webapp.params import BadParameter
from webapp.views import knowledge

bp = Blueprint("toolkit", __name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def asked() -> list[str]:
    return request.args.getlist("p")


def compare_url(slugs: list[str], endpoint: str = "toolkit.compare") -> str:
    return url_for(endpoint, p=slugs) if slugs else url_for(endpoint)


def words() -> Words:
    rows = {"regions": _("Regions and country"), "scope": _("Scope"), "organisation": _("Organisation and type"),
            "status": _("Status and years"), "themes": _("Themes"), "target_groups": _("Target groups"),
            "funding": _("Funding"), "evidence": _("Evidence level"), "outcomes": _("Outcomes"),
            "summary": _("Summary"), "results": _("Results"), "transferability": _("Transferability"),
            "sources": _("Sources"), "link": _("Permanent link")}  # fmt: skip
    values = {"status": status_labels(), "scope": scope_labels(), "evidence": evidence_labels(),
              "organisation_type": organisation_type_labels()}  # fmt: skip
    return Words(rows=rows, values=values, today=_("today"))


def notice_text(notice: Notice) -> str:
    names = ", ".join(notice.slugs[:10]) + (" …" if len(notice.slugs) > 10 else "")
    n = len(notice.slugs)
    if notice.code == "too-many":
        text = _("At most %(max)s practices can be compared side by side; left out: %(names)s.",
                 max=MAX_PRACTICES, names=names)  # fmt: skip
    elif notice.code == "unknown":
        text = ngettext("There is no practice at the address %(names)s; it was left out.",
                        "There are no practices at the addresses %(names)s; they were left out.", n, names=names)  # fmt: skip
    else:
        text = ngettext("%(names)s was selected more than once; it is shown once.",
                        "%(names)s were selected more than once; each is shown once.", n, names=names)  # fmt: skip
    return str(text)


def current_comparison() -> Comparison:
    kb = knowledge()
    return compare(kb.db, kb.taxonomy, asked(), lambda slug: url_for("views.practice", slug=slug, _external=True),
                   words(), current_language())  # fmt: skip


def swapped(slugs: list[str], i: int, j: int) -> list[str]:
    out = list(slugs)
    out[i], out[j] = out[j], out[i]
    return out


def columns(comparison: Comparison) -> list[dict[str, Any]]:
    """Each practice with the addresses that remove it or move it one place left or right."""
    slugs = comparison.slugs
    out = []
    for i, column in enumerate(comparison.practices):
        rest = [s for s in slugs if s != column.slug]
        left = swapped(slugs, i - 1, i) if i > 0 else None
        right = swapped(slugs, i, i + 1) if i < len(slugs) - 1 else None
        out.append({
            "slug": column.slug, "title": column.title, "url": url_for("views.practice", slug=column.slug),
            "remove": {"url": compare_url(rest), "slugs": rest},
            "left": {"url": compare_url(left), "slugs": left} if left else None,
            "right": {"url": compare_url(right), "slugs": right} if right else None,
        })  # fmt: skip
    return out


@bp.get("/compare", endpoint="compare")
def compare_page() -> str:
    comparison = current_comparison()
    slugs = comparison.slugs
    return render_template(
        "compare.html", comparison=comparison, columns=columns(comparison),
        notices=[notice_text(n) for n in comparison.notices],
        links={"docx": compare_url(slugs, "toolkit.brief_docx"), "markdown": compare_url(slugs, "toolkit.brief_md"),
               "json": compare_url(slugs, "toolkit.api_compare"),
               "more": url_for("views.search", p=slugs), "reset": url_for("toolkit.compare")},
    )  # fmt: skip


@bp.get("/api/compare")
def api_compare() -> Response:
    comparison = current_comparison()
    slugs = comparison.slugs
    data = dataclasses.asdict(comparison)
    for practice in data["practices"]:
        practice["api_url"] = url_for("api.practice", slug=practice["slug"], _external=True)
    data["notices"] = [{**dataclasses.asdict(n), "message": notice_text(n)} for n in comparison.notices]
    data["links"] = {
        "page": url_for("toolkit.compare", p=slugs, _external=True),
        "docx": url_for("toolkit.brief_docx", p=slugs, _external=True),
        "markdown": url_for("toolkit.brief_md", p=slugs, _external=True),
    }
    return jsonify({"ok": True, "max_practices": MAX_PRACTICES, **data})


def brief_comparison() -> Comparison:
    """A brief is a file, which cannot show a notice: anything left out is refused with a message instead."""
    comparison = current_comparison()
    problems = [n for n in comparison.notices if n.code != "duplicate"]
    if problems:
        raise BadParameter(notice_text(problems[0]))
    if not comparison.practices:
        raise BadParameter(_("Choose at least one practice for the brief, e.g. %(example)s",
                             example=url_for(request.endpoint or "toolkit.brief_docx", p="slug-of-a-practice")))  # fmt: skip
    return comparison


def brief_text(comparison: Comparison) -> brief.BriefText:
    today = format_date(dt.date.today(), "long")
    count = len(comparison.practices)
    return brief.BriefText(
        title=_("Practice brief") if count == 1 else _("Practice brief: %(num)s practices compared", num=count),
        subtitle=_("From the SECON best-practice knowledge base, %(date)s", date=today),
        contents=_("Practices in this brief"), facts=_("Key facts"), lang=current_language(),
    )  # fmt: skip


def file_name(comparison: Comparison, extension: str) -> str:
    slugs = comparison.slugs
    if len(slugs) == 1:
        return f"secon-brief-{slugs[0]}.{extension}"
    return f"secon-brief-{len(slugs)}-practices-{dt.date.today().isoformat()}.{extension}"


def download(body: bytes | str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/compare/brief.docx")
def brief_docx() -> Response:
    comparison = brief_comparison()
    body = brief.docx_bytes(comparison, brief_text(comparison))
    return download(body, DOCX, file_name(comparison, "docx"))


@bp.get("/compare/brief.md")
def brief_md() -> Response:
    comparison = brief_comparison()
    body = brief.markdown(comparison, brief_text(comparison))
    return download(body, "text/markdown", file_name(comparison, "md"))  # werkzeug adds the charset


@bp.app_context_processor
def _selection() -> dict[str, Any]:
    """The selection carried in the address (`p`), for the header link and the "Add to selection" controls."""
    slugs, _notices = plan_selection(request.args.getlist("p"))

    def add_url(slug: str) -> str:
        return compare_url(slugs if slug in slugs else [*slugs, slug])

    return {"selection": {"slugs": slugs, "count": len(slugs), "url": compare_url(slugs), "add_url": add_url,
                          "max": MAX_PRACTICES}}  # fmt: skip
