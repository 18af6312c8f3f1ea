"""The bundled vocabulary: the nine SECON regions and the agreed themes, every alias resolving to its owner."""

from __future__ import annotations

import pytest

from kb.filters import resolve
from kb.taxonomy import Taxonomy

REGIONS = ["peloponnese", "flemish-brabant", "mazovia", "extremadura", "rhein-neckar", "harghita",
           "oliveira-de-azemeis", "riga", "haskovo"]  # fmt: skip
THEMES = {
    "community-led-initiatives": "Community-led initiatives",
    "social-inclusion": "Social inclusion",
    "work-integration": "Work integration",
    "sustainability": "Sustainability and circular economy",
    "digitalisation": "Digitalisation",
    "innovative-financing": "Innovative financing",
    "marketing-branding": "Marketing and branding",
    "education-training": "Education and training",
    "business-cooperation": "Cooperation between businesses",
    "visibility-awareness": "Visibility and awareness",
    "policy-framework": "Legal and policy framework",
    "local-development": "Local and rural development",
}


def test_the_nine_regions_with_country_nuts_and_german_names(real_taxonomy: Taxonomy) -> None:
    assert list(real_taxonomy.regions) == REGIONS
    for region in real_taxonomy.regions.values():
        assert len(region.country) == 2 and region.nuts, region.key
        assert region.names.get("de"), f"{region.key} has no German name"
    assert real_taxonomy.regions["peloponnese"].country == "GR"  # ISO, not the NUTS "EL"


def test_the_agreed_themes_with_labels_descriptions_and_german(real_taxonomy: Taxonomy) -> None:
    assert {k: t.label for k, t in real_taxonomy.themes.items() if k in THEMES} == THEMES
    for theme in real_taxonomy.themes.values():
        assert theme.description and theme.synonyms and theme.labels.get("de"), theme.key


def test_every_region_name_and_alias_resolves_to_its_region(real_taxonomy: Taxonomy) -> None:
    for key, region in real_taxonomy.regions.items():
        for name in region.all_names():
            assert real_taxonomy.resolve_region(name) == key, name
            assert real_taxonomy.resolve_region(name.upper()) == key, name
            assert resolve(real_taxonomy, "region", name).chosen == key, name


def test_every_theme_label_and_synonym_resolves_to_its_theme(real_taxonomy: Taxonomy) -> None:
    for key, theme in real_taxonomy.themes.items():
        for name in theme.all_names():
            assert real_taxonomy.resolve_theme(name) == key, name
            assert resolve(real_taxonomy, "theme", name).chosen == key, name


@pytest.mark.parametrize(
    ("kind", "typed", "key"),
    [("region", "Masowien", "mazovia"), ("region", "rhein nekar", "rhein-neckar"), ("region", "Хасково", "haskovo"),
     ("region", "Πελοπόννησος", "peloponnese"), ("region", "flemish brabnt", "flemish-brabant"),
     ("region", "oliveira de azemeis", "oliveira-de-azemeis"), ("region", "HARGITA", "harghita"),
     ("theme", "inclusion", "social-inclusion"), ("theme", "Digitalisierung", "digitalisation"),
     ("theme", "digitalization", "digitalisation"), ("theme", "circular economy", "sustainability")],
)  # fmt: skip
def test_what_people_type_resolves(real_taxonomy: Taxonomy, kind: str, typed: str, key: str) -> None:
    result = resolve(real_taxonomy, kind, typed)  # type: ignore[arg-type]
    assert result.chosen == key
    assert result.matches[0].key == key


def test_nothing_plausible_says_so(real_taxonomy: Taxonomy) -> None:
    result = resolve(real_taxonomy, "region", "qwxz")
    assert result.status == "unknown" and result.chosen is None
