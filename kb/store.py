"""The SQLModel database: engine, schema, and applying a set of changed and removed entries in one transaction."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, event, func, insert, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session, SQLModel, col, create_engine

from kb.errors import IndexNotBuilt, IndexUnwritable
from kb.models import Entry, MetaRow, PracticeRegion, PracticeRow, PracticeTheme, RegionRow, ThemeRow
from kb.taxonomy import Taxonomy

SCHEMA_VERSION = "2"  # 2: scope


@functools.cache
def engine_for(url: str) -> Engine:
    """One engine per URL and process; SQLite runs in WAL mode so readers never wait for the reindex."""
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"timeout": 30} if is_sqlite else {})
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def open_for_reading(url: str) -> Engine:
    """The engine, or IndexNotBuilt when the database file does not exist or has no tables yet."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise IndexNotBuilt(f"no database at {path}")
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            conn.execute(select(col(MetaRow.key)).limit(1))
    except (OperationalError, DatabaseError) as exc:
        raise IndexNotBuilt(f"the database is not usable: {exc.orig}") from None
    return engine


def open_for_writing(url: str) -> Engine:
    path = sqlite_path(url)
    try:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = engine_for(url)
        with engine.begin() as conn:
            if path is not None:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            SQLModel.metadata.create_all(conn)
    except OSError as exc:
        raise IndexUnwritable(f"cannot create the database at {path}: {exc.strerror}") from None
    except OperationalError as exc:
        raise IndexUnwritable(f"cannot write the database: {exc.orig}") from None
    return engine


def stored_hashes(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(col(PracticeRow.slug), col(PracticeRow.content_hash))).all())


def _row(entry: Entry, now: dt.datetime) -> dict[str, Any]:
    return {
        "slug": entry.slug, "path": entry.path, "content_hash": entry.content_hash, "title": entry.title,
        "summary": entry.summary, "organisation": entry.organisation, "status": entry.status,
        "start_year": entry.start_year, "end_year": entry.end_year, "scope": entry.scope, "last_reviewed": entry.last_reviewed,
        "countries": " ".join(entry.countries), "body_html": entry.body_html, "body_text": entry.body_text,
        "data_json": json.dumps(entry.front_matter(), ensure_ascii=False), "indexed_at": now,
    }  # fmt: skip


def apply_changes(
    engine: Engine,
    taxonomy: Taxonomy,
    upserts: Sequence[Entry],
    removals: Iterable[str],
    *,
    replace_all: bool,
) -> None:
    """Bring the database to the wanted state in one transaction: readers see all of it or none."""
    now = dt.datetime.now(dt.UTC)
    gone = set(removals) | {e.slug for e in upserts}
    try:
        with engine.begin() as conn:
            if replace_all and _stored_schema(conn) != SCHEMA_VERSION:
                # After an upgrade that changed the tables (a new column), a full rebuild makes them again. Python's
                # sqlite3 runs DDL outside a transaction, so readers find no tables for that moment; they answer
                # 503 "run kb reindex", as they must with tables this code cannot read anyway.
                SQLModel.metadata.drop_all(conn)
                SQLModel.metadata.create_all(conn)
            elif replace_all:
                for table in (PracticeRegion, PracticeTheme, PracticeRow):
                    conn.execute(delete(table))
            else:
                for chunk in _chunks(sorted(gone), 500):
                    conn.execute(delete(PracticeRegion).where(col(PracticeRegion.practice_slug).in_(chunk)))
                    conn.execute(delete(PracticeTheme).where(col(PracticeTheme.practice_slug).in_(chunk)))
                    conn.execute(delete(PracticeRow).where(col(PracticeRow.slug).in_(chunk)))
            if upserts:
                conn.execute(insert(PracticeRow), [_row(e, now) for e in upserts])
                links = [{"practice_slug": e.slug, "region_key": r} for e in upserts for r in e.regions]
                conn.execute(insert(PracticeRegion), links)
                theme_links = [{"practice_slug": e.slug, "theme_key": t} for e in upserts for t in e.themes]
                conn.execute(insert(PracticeTheme), theme_links)
            _write_taxonomy(conn, taxonomy)
            stored = conn.execute(select(col(PracticeRow.slug), col(PracticeRow.content_hash))).all()
            _set_meta(
                conn,
                {
                    "schema_version": SCHEMA_VERSION,
                    "taxonomy": taxonomy.digest,
                    "reindexed_at": now.isoformat(timespec="seconds"),
                    "content_digest": content_digest(dict(stored)),
                },
            )
    except OperationalError as exc:
        raise IndexUnwritable(f"cannot write the database: {exc.orig}") from None


def content_digest(hashes: Mapping[str, str]) -> str:
    """One digest of a set of entries (slug -> content hash), the same whatever order they were written in, on
    whichever machine: the web app's ETags use it, so replicas with the same content agree."""
    digest = hashlib.sha256()
    for slug in sorted(hashes):
        digest.update(f"{slug}\t{hashes[slug]}\n".encode())
    return digest.hexdigest()


def state_digest(engine: Engine) -> str:
    """What the database holds now, as `content_digest` recorded it with the taxonomy digest; a database written
    before the digest was recorded falls back to its reindex time (the next reindex records the digest)."""
    with engine.connect() as conn:
        values = dict(conn.execute(select(col(MetaRow.key), col(MetaRow.value))
                                   .where(col(MetaRow.key).in_(["content_digest", "reindexed_at", "taxonomy"]))).all())  # fmt: skip
    content = values.get("content_digest") or "at " + values.get("reindexed_at", "")
    return f"{content}:{values.get('taxonomy', '')}"


def _stored_schema(conn: Any) -> str:
    try:
        found = conn.execute(select(col(MetaRow.value)).where(col(MetaRow.key) == "schema_version")).scalar()
    except (OperationalError, DatabaseError):
        return ""
    return str(found or "")


def _write_taxonomy(conn: Any, taxonomy: Taxonomy) -> None:
    conn.execute(delete(RegionRow))
    conn.execute(delete(ThemeRow))
    conn.execute(insert(RegionRow), [
        {"key": r.key, "name": r.name, "country": r.country,
         "data_json": json.dumps({"nuts": r.nuts, "names": r.names, "aliases": r.aliases}, ensure_ascii=False)}
        for r in taxonomy.regions.values()])  # fmt: skip
    conn.execute(insert(ThemeRow), [
        {"key": t.key, "label": t.label,
         "data_json": json.dumps({"labels": t.labels, "description": t.description, "synonyms": t.synonyms},
                                 ensure_ascii=False)}
        for t in taxonomy.themes.values()])  # fmt: skip


def _set_meta(conn: Any, values: dict[str, str]) -> None:
    conn.execute(delete(MetaRow).where(col(MetaRow.key).in_(list(values))))
    conn.execute(insert(MetaRow), [{"key": k, "value": v} for k, v in values.items()])


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def get_practice(engine: Engine, slug: str) -> PracticeRow | None:
    with Session(engine) as session:
        return session.get(PracticeRow, slug)


def get_practices(engine: Engine, slugs: Sequence[str]) -> dict[str, PracticeRow]:
    with Session(engine) as session:
        rows = session.scalars(select(PracticeRow).where(col(PracticeRow.slug).in_(list(slugs)))).all()
        return {r.slug: r for r in rows}


def all_slugs(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(col(PracticeRow.slug)).order_by(col(PracticeRow.slug))).scalars())


def recent_practices(engine: Engine, limit: int) -> list[PracticeRow]:
    """Newest first by review date, then by slug: the home page and the feed. Only what the entries say decides
    the order, never when a machine indexed them, so every replica and every rebuild lists the same practices."""
    with Session(engine) as session:
        query = (select(PracticeRow)
                 .order_by(col(PracticeRow.last_reviewed).desc(), PracticeRow.slug).limit(limit))  # fmt: skip
        return list(session.scalars(query).all())


def count_practices(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(PracticeRow)).scalar_one())


def meta(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(col(MetaRow.key), col(MetaRow.value))).all())
