"""Which thesaurus concepts a query's words name, in any of the 12 partner languages, inflected or not.

Built once per thesaurus (by `kb reindex`, when the thesaurus or the lemmatiser changed): every label is split into
words and each word lemmatised with simplemma in the label's language; every inflected form that simplemma's
dictionary leads to one of those lemmas is kept, and so is each word's Snowball stem where the language has a
stemmer (compounds such as `Sozialgenossenschaften` are found through the stem). The web app loads only that
compact map (`index/thesaurus.json`), never the dictionaries (all twelve take about 1 GB and 18 s to read).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import Stemmer
from rapidfuzz import fuzz, process

from kb.analysis import fold_word
from kb.thesaurus import LANGUAGES, Thesaurus

BUILD_VERSION = "1"
MAP_FILE = "thesaurus.json"
MAX_CONCEPTS = 4  # concepts one query may add
FUZZY_SHORTEST = 6  # shorter unknown words are not matched by spelling: too many near neighbours
FUZZY_SCORE = 85.0
FUZZY_PREFIX = 4
SNOWBALL = {"en": "english", "de": "german", "el": "greek", "nl": "dutch", "fr": "french", "pl": "polish",
            "es": "spanish", "ro": "romanian", "hu": "hungarian", "pt": "portuguese"}  # fmt: skip  # no lv, bg
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(word: str) -> str:
    """Lower-case, without accents in any script (`Κοινωνική` -> `κοινωνικη`, `Spółdzielnia` -> `spoldzielnia`)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return fold_word("".join(c for c in decomposed if not unicodedata.combining(c)))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@functools.lru_cache(maxsize=50_000)
def stem(lang: str, word: str) -> str:
    return str(_stemmers()[lang].stemWord(word.lower()))


@functools.cache
def _stemmers() -> dict[str, Any]:
    return {lang: Stemmer.Stemmer(name) for lang, name in SNOWBALL.items()}


@dataclasses.dataclass(frozen=True)
class Found:
    """A run of query words that names a concept."""

    start: int  # index of the first word
    end: int  # one past the last word
    concept: str
    lang: str  # the language whose label matched


class Expander:
    """Finds concepts in a query from the compact map; cheap to call, safe to share."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.digest: str = data["digest"]
        self.labels: dict[str, dict[str, list[str]]] = data["concepts"]
        self.forms: dict[str, dict[str, list[str]]] = data["forms"]
        self.stems: dict[str, dict[str, list[str]]] = data["stems"]
        self.starts: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]] = {}
        for concept, lang, keys in data["phrases"]:
            self.starts.setdefault(lang, {}).setdefault(keys[0], []).append((concept, tuple(keys)))
        # Every label word as written (folded), with its key: for words that neither the dictionary nor a stemmer
        # knows (a rare plural in Latvian or Bulgarian, a typo), the closest label word of the same start.
        self.label_words: dict[str, list[str]] = {}
        self.label_keys: dict[str, list[str]] = {}
        for labels in self.labels.values():
            for lang, texts in labels.items():
                for word in {fold(w) for text in texts for w in words(text)}:
                    key = self.forms.get(lang, {}).get(word)
                    if key and len(word) >= FUZZY_SHORTEST:
                        self.label_words.setdefault(lang, []).append(word)
                        self.label_keys.setdefault(lang, []).append(key[0])

    def keys(self, lang: str, word: str) -> set[str]:
        """The label words (lemmas) a typed word can stand for in a language."""
        found = set(self.forms.get(lang, {}).get(fold(word), ()))
        if lang in SNOWBALL:
            found.update(self.stems.get(lang, {}).get(stem(lang, word), ()))
        return found

    def near_keys(self, lang: str, word: str) -> set[str]:
        """Keys of the label words closest in spelling (rapidfuzz ratio at least FUZZY_SCORE, same first letters)."""
        folded = fold(word)
        if len(folded) < FUZZY_SHORTEST:
            return set()
        choices = self.label_words.get(lang, [])
        found = process.extract(folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_SCORE, limit=3)
        return {
            self.label_keys[lang][i]
            for match, _score, i in found
            if match[:FUZZY_PREFIX] == folded[:FUZZY_PREFIX]
        }

    def find(self, typed: Sequence[str]) -> list[Found]:
        """Concepts named by runs of the typed words, longest runs first, not overlapping, at most MAX_CONCEPTS."""
        candidates: list[Found] = []
        known = [any(self.keys(lang, w) for lang in self.starts) for w in typed]
        for lang, starts in self.starts.items():
            keys = [self.keys(lang, w) if known[i] else self.near_keys(lang, w) for i, w in enumerate(typed)]
            for i, here in enumerate(keys):
                for key in here:
                    for concept, label in starts.get(key, ()):
                        end = i + len(label)
                        if end <= len(typed) and all(label[j] in keys[i + j] for j in range(1, len(label))):
                            candidates.append(Found(i, end, concept, lang))
        chosen: list[Found] = []
        taken: set[int] = set()
        # Longest runs first; between runs of one length an English reading wins (the entries are in English, so
        # English words are the likeliest reading of words that also spell something in another language).
        for found in sorted(
            candidates, key=lambda f: (-(f.end - f.start), f.lang != "en", f.start, f.concept)
        ):
            span = set(range(found.start, found.end))
            if span & taken and not any(c.start == found.start and c.end == found.end for c in chosen):
                continue
            if any(c.concept == found.concept for c in chosen):
                continue
            chosen.append(found)
            taken |= span
            if len(chosen) == MAX_CONCEPTS:
                break
        return sorted(chosen, key=lambda f: (f.start, f.concept))


def build(thesaurus: Thesaurus) -> dict[str, Any]:
    """The compact map, from simplemma's dictionaries (loaded one language at a time) and Snowball stems."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory(cache_max_size=1)  # one language's dictionary in memory at a time
    lemmatize = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory)).lemmatize
    forms: dict[str, dict[str, set[str]]] = {}
    stems: dict[str, dict[str, set[str]]] = {}
    phrases: list[tuple[str, str, list[str]]] = []
    for lang in LANGUAGES:
        wanted: dict[str, str] = {}  # lower-cased lemma or word of a label -> the key of that label word
        lang_forms = forms.setdefault(lang, {})
        for concept in thesaurus.concepts.values():
            for label in concept.labels.get(lang, ()):
                keys = []
                for word in words(label):
                    lemma = lemmatize(word, lang)
                    key = fold(lemma)
                    keys.append(key)
                    wanted.setdefault(lemma.lower(), key)
                    wanted.setdefault(word.lower(), key)
                    lang_forms.setdefault(fold(word), set()).add(key)
                    lang_forms.setdefault(key, set()).add(key)
                    if lang in SNOWBALL:
                        stems.setdefault(lang, {}).setdefault(stem(lang, word), set()).add(key)
                if keys:
                    phrases.append((concept.id, lang, keys))
        # About ten million pairs in all twelve dictionaries: keep the loop lean.
        for form, lemma in factory.get_dictionary(lang).items() if wanted else ():
            found = wanted.get(lemma.lower())
            if found is not None:
                lang_forms.setdefault(fold(form), set()).add(found)
    return {
        "version": BUILD_VERSION,
        "digest": thesaurus.digest,
        "lemmatiser": lemmatiser_version(),
        "concepts": {
            c.id: {lang: list(labels) for lang, labels in c.labels.items()}
            for c in thesaurus.concepts.values()
        },
        "forms": _lists(forms),
        "stems": _lists(stems),
        "phrases": phrases,
    }


def _lists(table: dict[str, dict[str, set[str]]]) -> dict[str, dict[str, list[str]]]:
    return {lang: {k: sorted(v) for k, v in sorted(rows.items())} for lang, rows in table.items()}


def lemmatiser_version() -> str:
    return importlib.metadata.version("simplemma")


def current_digest(index_dir: Path) -> str | None:
    """The thesaurus digest of the map in the index folder (None when there is none, or another build)."""
    try:
        data = json.loads((index_dir / MAP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = data.get("version") == BUILD_VERSION and data.get("lemmatiser") == lemmatiser_version()
    return str(data.get("digest")) if same else None


def refresh(index_dir: Path, thesaurus: Thesaurus) -> bool:
    """Bring the map in the index folder to this thesaurus; True when it had to be built."""
    if not thesaurus.concepts:
        remove_map(index_dir)
        return False
    if current_digest(index_dir) == thesaurus.digest:
        return False
    write_map(index_dir, build(thesaurus))
    return True


def write_map(index_dir: Path, data: dict[str, Any]) -> None:
    """Write atomically: readers see the old map or the new one."""
    tmp = index_dir / f".{MAP_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(index_dir / MAP_FILE)


def remove_map(index_dir: Path) -> None:
    (index_dir / MAP_FILE).unlink(missing_ok=True)


def load_expander(index_dir: Path) -> Expander | None:
    try:
        data = json.loads((index_dir / MAP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Expander(data) if data.get("version") == BUILD_VERSION else None


def labels_for(expander: Expander, concept: str, languages: Iterable[str]) -> list[str]:
    """The English labels of a concept, then the preferred label in each of the given languages."""
    labels = expander.labels.get(concept, {})
    out = list(labels.get("en", ()))
    for lang in languages:
        if lang != "en" and labels.get(lang):
            out.append(labels[lang][0])
    return list(dict.fromkeys(out))
