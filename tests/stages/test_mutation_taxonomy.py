"""How the vocabulary is read (kb/taxonomy.py), past what tests/test_taxonomy.py covers: values in loose shapes,
English entries among an item's names, target groups checked like themes, items without a key in the report, and
the fingerprint that tells the loader the vocabulary changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.errors import TaxonomyError
from kb.taxonomy import Taxonomy, load_taxonomy

from ..conftest import DATA

TAXONOMIES = DATA / "taxonomies"


@pytest.fixture(scope="module")
def loose() -> Taxonomy:
    """Names, labels and descriptions as lists or strings, and English entries under names, labels, descriptions."""
    return load_taxonomy(TAXONOMIES / "loose-values.yaml")


def test_names_labels_and_descriptions_that_are_not_mappings_are_left_out(loose: Taxonomy) -> None:
    mazovia = loose.regions["mazovia"]
    assert mazovia.names == {} and mazovia.name_in("de") == "Mazovia"
    assert loose.resolve_region("Masowien") is None  # a list of names says in no language: none is read
    assert mazovia.aliases == ("Masovia",)  # a single alias needs no list
    digitalisation = loose.themes["digitalisation"]
    assert (digitalisation.labels, digitalisation.descriptions) == ({}, {})
    assert digitalisation.label_in("de") == "Digitalisation"
    assert digitalisation.description_in("de") == "Digital tools and skills."
    seniors = loose.target_groups["seniors"]
    assert (seniors.labels, seniors.descriptions, seniors.label_in("de")) == ({}, {}, "Older people")


def test_an_english_label_or_description_never_replaces_the_items_own(loose: Taxonomy) -> None:
    inclusion = loose.themes["social-inclusion"]
    assert inclusion.label_in("en") == "Social inclusion"
    assert inclusion.description_in("en") == "Including people at risk of exclusion."
    assert inclusion.label_in("de") == "Soziale Inklusion"
    assert inclusion.description_in("de") == "Menschen mit Ausgrenzungsrisiko einbeziehen."
    # The English label is one more name of the theme, as the English name under a region's names is.
    assert loose.resolve_theme("inclusion of people at risk") == "social-inclusion"
    assert loose.regions["riga"].name_in("en") == "Riga"
    assert loose.regions["riga"].names == {"en": ("Riga planning region",), "lv": ("Rīga",)}


def test_a_country_code_is_upper_case_and_names_a_country_without_a_name(loose: Taxonomy) -> None:
    """`country: pl` with no `country_name`: the code, upper-cased, in both places (the API shows both)."""
    mazovia = loose.regions["mazovia"]
    assert (mazovia.country, mazovia.country_name) == ("PL", "PL")
    assert loose.countries == {"PL": "PL", "LV": "LV"}


def test_target_groups_are_checked_and_a_keyless_item_is_shown_as_such() -> None:
    """A target group without a label is located like a theme's; an item without a key that repeats another's name
    is reported twice (its missing key, the shared name), the keyless one shown as '' and never as an invented
    key."""
    path = TAXONOMIES / "keyless-and-target-groups.yaml"
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    shared = "(hint: a name may belong to one item only: remove it from one of them)"
    assert [p.format().removeprefix(f"{path}:") for p in raised.value.problems] == [
        "7: regions[1].key: missing (hint: add `key: ...` to this item)",
        "12: themes[1].key: missing (hint: add `key: ...` to this item)",
        "16: target_groups[1].label: missing (hint: add `label: ...` to this item)",
        f"7: regions: name 'Mazovia' belongs to both 'mazovia' and '' {shared}",
        f"12: themes: name 'Digitalisation' belongs to both 'digitalisation' and '' {shared}",
    ]


def test_the_fingerprint_follows_the_files_content_not_its_place(tmp_path: Path) -> None:
    """Every entry's hash includes the vocabulary's fingerprint, so that a changed vocabulary re-checks entries."""
    original = DATA / "taxonomy-targets.yaml"
    copy = tmp_path / "copy.yaml"
    shutil.copy(original, copy)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        original.read_text(encoding="utf-8").replace("Roma communities", "Roma families"), "utf-8"
    )
    digests = [load_taxonomy(path).digest for path in (original, copy, changed)]
    assert digests[0] == digests[1] != digests[2]
    assert all(d and set(d) <= set("0123456789abcdef") for d in digests)  # a hex digest
