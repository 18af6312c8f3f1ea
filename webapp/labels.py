"""What the search library and the closed lists say, in the interface language: notes, match levels, scopes,
evidence levels, organisation types, country names. Registered for templates by `init`."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import gettext as _
from flask_babel import ngettext

from kb.search import Note, SearchResults
from kb.taxonomy import country_name
from webapp.i18n import current_language


def scope_labels() -> dict[str, str]:
    return {
        "local": _("Local"),
        "regional": _("Regional"),
        "national": _("National"),
        "european": _("European"),
    }


def evidence_labels() -> dict[str, str]:
    return {"anecdotal": _("Anecdotal"), "monitored": _("Monitored"), "evaluated": _("Evaluated"),
            "replicated": _("Replicated"), "not-stated": _("Not stated")}  # fmt: skip


def organisation_type_labels() -> dict[str, str]:
    return {"cooperative": _("Cooperative"), "association": _("Association"), "foundation": _("Foundation"),
            "social enterprise": _("Social enterprise"), "public body": _("Public body"),
            "municipality": _("Municipality"), "network": _("Network"), "company": _("Company"),
            "university": _("University"), "other": _("Other")}  # fmt: skip


def note_text(note: Note) -> str:
    """A note of the search library in the interface language (its English text when the code is new)."""
    params = note.params
    if note.code == "shortened":
        return str(_("Your query was shortened to its first %(chars)s characters.", chars=params["chars"]))
    if note.code == "too-many-terms":
        return str(_("Only the first %(terms)s search terms were used.", terms=params["terms"]))
    if note.code == "common-words":
        return str(_("These words are too common to search for: %(words)s", words=params["words"]))
    return note.text


def match_text(results: SearchResults) -> str | None:
    """How the words had to match, when not all of them did."""
    if results.match == "most" and results.complete:
        return str(ngettext("%(num)s practice contains all your words; practices that contain at least %(least)s of "
                            "them follow.", "%(num)s practices contain all your words; practices that contain at "
                            "least %(least)s of them follow.", results.complete, least=results.required))  # fmt: skip
    if results.match == "most":
        return str(ngettext("No practice contains all your words; showing practices that contain at least %(num)s of "
                        "them.", "No practice contains all your words; showing practices that contain at least "
                        "%(num)s of them.", results.required))  # fmt: skip
    if results.match == "any":
        return str(_("No practice contains all your words; showing practices that contain some of them."))
    return None


def value_label(facet: str, key: str, default: str) -> str:
    """A facet value as the reader should see it: closed lists translated here, names from the library."""
    return closed_lists().get(facet, {}).get(key, default)


def closed_lists() -> dict[str, dict[str, str]]:
    """The translated closed lists, made once per request (a search page shows some fifty facet values)."""
    found: dict[str, dict[str, str]] | None = g.get("closed_lists")
    if found is None:
        found = {"status": status_labels(), "scope": scope_labels(), "evidence": evidence_labels(),
                 "organisation_type": organisation_type_labels()}  # fmt: skip
        g.closed_lists = found
    return found


def status_labels() -> dict[str, str]:
    return {"ongoing": _("Ongoing"), "completed": _("Completed"), "pilot": _("Pilot")}


def country_label(code: str) -> str:
    return country_name(code, current_language())


def init(app: Flask) -> None:
    @app.context_processor
    def _labels() -> dict[str, Any]:
        lists = closed_lists()
        return {"scope_labels": lists["scope"], "evidence_labels": lists["evidence"],
                "organisation_type_labels": lists["organisation_type"], "note_text": note_text,
                "match_text": match_text, "country_label": country_label, "value_label": value_label}  # fmt: skip
