"""The interface's words for the values of the closed lists (scope, status, evidence level, organisation type), in
the reader's language; taxonomy labels come translated from the taxonomy itself."""

from __future__ import annotations

from flask_babel import gettext as _


def choice_labels() -> dict[str, dict[str, str]]:
    """Facet name -> value -> label. Functions, not constants: gettext needs the request's language."""
    return {
        "status": {"ongoing": _("Ongoing"), "completed": _("Completed"), "pilot": _("Pilot")},
        "scope": {"local": _("Local"), "regional": _("Regional"), "national": _("National"),
                  "european": _("European")},
        "evidence": {"anecdotal": _("Anecdotal"), "monitored": _("Monitored"), "evaluated": _("Evaluated"),
                     "replicated": _("Replicated"), "not-stated": _("Not stated")},
        "organisation_type": {
            "cooperative": _("Cooperative"), "association": _("Association"), "foundation": _("Foundation"),
            "social enterprise": _("Social enterprise"), "public body": _("Public body"),
            "municipality": _("Municipality"), "network": _("Network"), "company": _("Company"),
            "university": _("University"), "other": _("Other"),
        },
    }  # fmt: skip


def value_label(facet: str, key: str, fallback: str = "") -> str:
    """The label of one value of a closed list, or `fallback` (else the key) for any other facet."""
    return choice_labels().get(facet, {}).get(key, fallback or key)
