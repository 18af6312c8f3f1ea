"""Case, accent, separator and script folding: how typed names compare with the taxonomy's."""

from __future__ import annotations

import pytest

from kb.folding import fold, slugify, translit, variants


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Azeméis", "azemeis"), ("AZEMÉIS", "azemeis"), ("Rhein-Neckar", "rhein neckar"),
     ("rhein_neckar/region", "rhein neckar region"), ("  Oliveira  de   Azeméis ", "oliveira de azemeis"),
     ("Straße", "strasse"), ("a.b,c;d:e(f)'g\"h’i`j", "a b c d e f g h i j"), ("Хасково", "хасково"),
     ("ﬁ", "fi")],
)  # fmt: skip
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "ascii_form"),
    [("Πελοπόννησος", "peloponnisos"), ("Хасково", "khaskovo"), ("Мазовия", "mazoviya"), ("Łódź", "lodz"),
     ("Rīga", "riga"), ("Hargita megye", "hargita megye")],
)  # fmt: skip
def test_translit(typed: str, ascii_form: str) -> None:
    assert translit(typed) == ascii_form


def test_variants_hold_both_forms_and_never_empty_ones() -> None:
    assert variants("Хасково") == {"хасково", "khaskovo"}
    assert variants("Mazovia") == {"mazovia"}
    assert variants("   ") == set()


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Social Economy Support Centres", "social-economy-support-centres"),
     ("Rural cooperative: shop #2", "rural-cooperative-shop-2"), ("Χάσκοβο κέντρο", "chaskovo-kentro"),
     ("!!!", "entry"), ("a" * 100, "a" * 80)],
)  # fmt: skip
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cut_never_ends_with_a_hyphen() -> None:
    assert slugify("abc def", max_length=4) == "abc"
