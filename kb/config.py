"""Settings: one object, each field with a default and a help line, read from `KB_*` environment variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def _field(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where content and derived state live, and the few knobs an operator may turn."""

    content_dir: Path = _field(Path("practices"), "Folder of entry files and taxonomy.yaml.")
    index_dir: Path = _field(Path("index"), "Folder of derived state: the Whoosh index and the SQLite file.")
    database_url: str = _field(
        "", "SQLAlchemy URL of the database; empty means sqlite:///<index_dir>/kb.sqlite3."
    )
    page_size: int = _field(10, "Results per page in the web interface and the API.")
    fuzzy_cutoff: int = _field(
        60, "Lowest rapidfuzz score (0-100) at which a typed region or theme is offered."
    )
    max_file_bytes: int = _field(512 * 1024, "Largest entry file accepted, in bytes.")
    secret_key: str = _field(
        "", "Flask secret key for the language cookie; empty means a random key per process."
    )
    host: str = _field("127.0.0.1", "Address `kb serve` listens on.")
    port: int = _field(8000, "Port `kb serve` listens on.")
    workers: int = _field(0, "Worker processes of `kb serve`; 0 means one per CPU core.")

    @property
    def taxonomy_path(self) -> Path:
        return self.content_dir / "taxonomy.yaml"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.index_dir / 'kb.sqlite3'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `KB_<FIELD>` variables; explicit overrides win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(env_name(f.name))
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw, f.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("content_dir", "index_dir"):
            values[key] = Path(values.get(key, getattr(cls, key)))
        return cls(**values)


def env_name(field_name: str) -> str:
    return "KB_" + field_name.upper()


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting: the README and `kb settings` are made from this."""
    return [(env_name(f.name), str(f.default), f.metadata["help"]) for f in dataclasses.fields(Settings)]


def _convert(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{env_name(name)} must be a whole number, not {raw!r}") from None
    return raw
