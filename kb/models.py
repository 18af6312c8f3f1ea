"""What an entry is once loaded (`Entry`), and the SQLModel tables the database keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlmodel import Field, SQLModel


@dataclasses.dataclass(frozen=True)
class Entry:
    """One valid practice, as read from `practices/<slug>.md`."""

    slug: str
    path: str
    content_hash: str
    title: str
    summary: str
    regions: list[str]
    countries: list[str]
    themes: list[str]
    organisation: str
    status: str
    start_year: int
    scope: str
    last_reviewed: dt.date
    sources: list[dict[str, str]]
    body_markdown: str
    body_html: str
    body_text: str
    end_year: int | None = None
    city: str | None = None
    organisation_type: str | None = None
    funding: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    target_groups: list[str] = dataclasses.field(default_factory=list)
    stakeholders: list[str] = dataclasses.field(default_factory=list)
    outcomes: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    evidence_level: str | None = None
    contact: str | None = None
    language: str = "en"
    local_language: str | None = None
    local_title: str | None = None
    local_summary: str | None = None
    partner: str | None = None
    keywords: list[str] = dataclasses.field(default_factory=list)

    def front_matter(self) -> dict[str, Any]:
        """The entry's fields as JSON-ready data (no body)."""
        data = dataclasses.asdict(self)
        for key in ("body_markdown", "body_html", "body_text", "path", "content_hash"):
            data.pop(key)
        data["last_reviewed"] = self.last_reviewed.isoformat()
        return data


class PracticeRow(SQLModel, table=True):
    __tablename__ = "practice"

    slug: str = Field(primary_key=True)
    path: str
    content_hash: str = Field(index=True)
    title: str
    summary: str
    organisation: str
    status: str = Field(index=True)
    start_year: int = Field(index=True)
    end_year: int | None = None
    scope: str = Field(default="", index=True)
    last_reviewed: dt.date
    countries: str  # space-separated ISO codes, for display; the link tables carry the filtering
    body_html: str
    body_text: str
    data_json: str  # the whole front matter as JSON, so the API returns exactly what the entry says
    indexed_at: dt.datetime


class RegionRow(SQLModel, table=True):
    __tablename__ = "region"

    key: str = Field(primary_key=True)
    name: str
    country: str
    data_json: str


class ThemeRow(SQLModel, table=True):
    __tablename__ = "theme"

    key: str = Field(primary_key=True)
    label: str
    data_json: str


class PracticeRegion(SQLModel, table=True):
    __tablename__ = "practice_region"

    practice_slug: str = Field(primary_key=True, foreign_key="practice.slug", ondelete="CASCADE")
    region_key: str = Field(primary_key=True, index=True)


class PracticeTheme(SQLModel, table=True):
    __tablename__ = "practice_theme"

    practice_slug: str = Field(primary_key=True, foreign_key="practice.slug", ondelete="CASCADE")
    theme_key: str = Field(primary_key=True, index=True)


class MetaRow(SQLModel, table=True):
    """Small facts about the stored state: schema version, taxonomy digest, last reindex."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str
