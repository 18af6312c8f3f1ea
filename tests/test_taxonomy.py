"""The bundled vocabulary: the nine SECON regions and the agreed themes, every alias resolving to its owner."""

from __future__ import annotations

import pytest

from kb.errors import TaxonomyError
from kb.filters import WINNER_MARGIN, WINNER_SCORE, resolve
from kb.taxonomy import Taxonomy, load_taxonomy

from .conftest import DATA

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
     ("theme", "digitalization", "digitalisation"), ("theme", "circular economy", "sustainability"),
     ("region", "Korinthia", "peloponnese"), ("region", "Lakonia", "peloponnese"), ("region", "Messinia", "peloponnese"),
     ("region", "Argolida", "peloponnese"), ("region", "Arkadia", "peloponnese"), ("region", "Kalamata", "peloponnese"),
     ("region", "Aveiro", "oliveira-de-azemeis"), ("region", "Мазовия", "mazovia"), ("region", "Masovien", "mazovia")],
)  # fmt: skip
def test_what_people_type_resolves(real_taxonomy: Taxonomy, kind: str, typed: str, key: str) -> None:
    result = resolve(real_taxonomy, kind, typed)  # type: ignore[arg-type]
    assert result.chosen == key
    assert result.matches[0].key == key


def test_nothing_plausible_says_so(real_taxonomy: Taxonomy) -> None:
    result = resolve(real_taxonomy, "region", "qwxz")
    assert result.status == "unknown" and result.chosen is None


@pytest.mark.parametrize(("kind", "typed"), [("theme", "social"), ("theme", "development")])
def test_a_tie_between_names_is_offered_not_applied(real_taxonomy: Taxonomy, kind: str, typed: str) -> None:
    """`social` and `development` belong to several themes equally: the reader chooses, nothing is applied."""
    result = resolve(real_taxonomy, kind, typed)  # type: ignore[arg-type]
    assert result.chosen is None and result.status == "ambiguous"
    assert len(result.matches) >= 2 and result.matches[0].score - result.matches[1].score < WINNER_MARGIN


def test_a_clear_winner_is_applied_only_with_its_margin(real_taxonomy: Taxonomy) -> None:
    result = resolve(real_taxonomy, "region", "Mazowse")  # one letter off a Polish name
    assert result.chosen == "mazovia" and not result.exact
    assert result.matches[0].score >= WINNER_SCORE


@pytest.mark.parametrize(
    ("name", "expected"),
    [("bad-indent.yaml", ["4: taxonomy: not valid YAML: did not find expected '-' indicator (hint: check quotes, "
                          "colons and indentation (spaces, not tabs))"]),
     ("not-a-mapping.yaml", ["1: taxonomy: expected a mapping with `regions` and `themes` (hint: start the file "
                             "with `regions:` and `themes:` lists)"]),
     ("missing-fields.yaml", ["5: regions[1].country: missing (hint: add `country: ...` to this item)",
                              "8: themes[0].label: missing (hint: add `label: ...` to this item)"]),
     ("shared-name.yaml", ["6: regions: name 'warsaw REGION' belongs to both 'mazovia' and 'haskovo' (hint: a name "
                           "may belong to one item only: remove it from one of them)"]),
     ("no-themes.yaml", ["1: themes: needs at least one of the themes (hint: add a `themes:` list)"]),
     ("item-not-mapping.yaml", ["6: themes[0]: expected `key: value` fields (hint: start the item with - key:)",
                                "6: themes: needs at least one of the themes (hint: add a `themes:` list)"]),
     ("not-a-list.yaml", ["2: regions: expected a list (hint: write `regions:` then one `- key: ...` item per line)",
                          "2: regions: needs at least one of the regions (hint: add a `regions:` list)"]),
     ("latin1.yaml", ["1: taxonomy: not valid UTF-8 (byte 39) (hint: save the file with UTF-8 encoding)"]),
     # Items without a key or a name claim no name of another: only the missing fields are reported.
     ("missing-keys-and-names.yaml", [f"{line}: {kind}[{i}].{name}: missing (hint: add `{name}: ...` to this item)"
                                      for line, kind, i, name in [(2, "regions", 0, "key"), (4, "regions", 1, "key"),
                                      (6, "regions", 2, "name"), (8, "regions", 3, "name"), (11, "themes", 0, "key"),
                                      (12, "themes", 1, "key"), (13, "themes", 2, "label"), (14, "themes", 3, "label")]]),
     ("missing.yaml", ["1: taxonomy: cannot read the file: No such file or directory"])],
)  # fmt: skip
def test_every_problem_of_a_broken_taxonomy_is_located(name: str, expected: list[str]) -> None:
    path = DATA / "taxonomies" / name
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(path)
    assert [p.format().removeprefix(f"{path}:") for p in raised.value.problems] == expected


@pytest.fixture
def targets_taxonomy() -> Taxonomy:
    """Three regions (Riga with no country name), three themes and four target groups."""
    return load_taxonomy(DATA / "taxonomy-targets.yaml")


def test_names_in_a_language_fall_back_to_english(targets_taxonomy: Taxonomy) -> None:
    mazovia, riga = targets_taxonomy.regions["mazovia"], targets_taxonomy.regions["riga"]
    assert [mazovia.name_in(lang) for lang in ("en", "de", "pl", "fr")] == [
        "Mazovia", "Masowien", "Mazowieckie", "Mazovia"]  # fmt: skip
    assert riga.name_in("en") == "Riga"  # the name, not the English alias listed under names
    inclusion = targets_taxonomy.themes["social-inclusion"]
    assert [inclusion.label_in(lang) for lang in ("en", "de", "fr")] == [
        "Social inclusion", "Soziale Inklusion", "Social inclusion"]  # fmt: skip
    assert [inclusion.description_in(lang) for lang in ("en", "de", "fr")] == [
        "Including people at risk of exclusion.", "Menschen mit Ausgrenzungsrisiko einbeziehen.",
        "Including people at risk of exclusion."]  # fmt: skip


def test_optional_fields_have_plain_defaults(targets_taxonomy: Taxonomy) -> None:
    riga = targets_taxonomy.regions["riga"]
    assert (riga.name, riga.country, riga.country_name, riga.nuts) == ("Riga", "LV", "LV", ("LV006",))
    assert riga.aliases == () and riga.names["en"] == ("Riga planning region",)
    assert targets_taxonomy.countries == {"PL": "Poland", "BG": "Bulgaria", "LV": "LV"}
    work = targets_taxonomy.themes["work-integration"]
    assert (work.description, work.descriptions, work.description_in("de")) == ("", {}, "")
    assert targets_taxonomy.target_groups["local-communities"].labels == {}


def test_target_groups_resolve_exactly_like_regions_and_themes(targets_taxonomy: Taxonomy) -> None:
    assert targets_taxonomy.resolve_target_group("Langzeitarbeitslose") == "long-term-unemployed"
    assert targets_taxonomy.resolve_target_group("ROMA COMMUNITIES") == "roma"
    assert targets_taxonomy.resolve_target_group("Roma community") is None  # exact only: that is filters' job
    assert targets_taxonomy.resolve_region("Riga planning region") == "riga"
    assert targets_taxonomy.resolve_theme("riga") is None
