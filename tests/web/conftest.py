"""A small real knowledge base (real taxonomy, a SQLite file and a Whoosh index on disk) for the web tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.config import Settings
from kb.reindex import reindex
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]

# slug -> (front matter lines, body). Written for these tests; they describe no real practice.
ENTRIES: dict[str, tuple[str, str]] = {
    "social-cooperatives-support": (
        "title: Support centres for social cooperatives\n"
        "summary: Advice and training for people who start social cooperatives.\n"
        "regions: [Masowien]\nthemes: [social-inclusion, business-cooperation]\n"
        "organisation: Test Support Centre\norganisation_type: public body\nstatus: ongoing\nstart_year: 2012\nscope: regional\n"
        "funding:\n  - instrument: ESF+\n    period: 2021-2027\nevidence_level: monitored\n"
        "contact: https://example.org/contact\ntarget_groups: [social entrepreneurs, long-term unemployed]\n"
        "outcomes:\n  - indicator: cooperatives founded\n    value: 40\n    unit: cooperatives\n    year: 2023\n",
        "Centres give advice on cooperatives and inclusion of people far from work.",
    ),
    "repair-cafe-network": (
        "title: Repair cafe network\nsummary: Volunteers repair household items together with their owners.\n"
        "regions: [flemish-brabant]\nthemes: [sustainability, community-led-initiatives]\n"
        "organisation: Test Repair Association\nstatus: ongoing\nstart_year: 2015\nscope: local\n"
        "organisation_type: association\nevidence_level: evaluated\ntarget_groups: [volunteers, residents]\n",
        "Volunteers meet monthly. Social cooperatives are mentioned here only in the body.",
    ),
    "digital-skills-for-seniors": (
        "title: Digital skills for seniors\nsummary: Courses that teach older people to use online services.\n"
        "regions: [haskovo]\nthemes: [digitalisation, education-training]\norganisation: Test Library\n"
        "status: completed\nstart_year: 2016\nscope: regional\nend_year: 2019\nevidence_level: anecdotal\n"
        "target_groups: [seniors]\n",
        "Librarians teach tablets and online banking. Inclusion of older people is the aim.",
    ),
    "rural-products-label": (
        "title: A label for rural products\nsummary: A shared brand for products of small rural producers.\n"
        "regions: [harghita]\nthemes: [marketing-branding, local-development]\norganisation: Test Producers Union\n"
        "status: ongoing\nstart_year: 2010\nscope: regional\n",
        "Producers sell under one label at markets and in shops.",
    ),
    "microloans-for-social-enterprises": (
        "title: Microloans for social enterprises\nsummary: Small loans with mentoring for new social enterprises.\n"
        "regions: [riga, mazovia]\nthemes: [innovative-financing]\norganisation: Test Loan Fund\n"
        "status: pilot\nstart_year: 2020\nscope: regional\n",
        "Loans are repaid into a revolving fund that lends again.",
    ),
    "inclusive-catering": (
        "title: Inclusive catering company\nsummary: A catering business that employs people with disabilities.\n"
        "regions: [extremadura]\nthemes: [work-integration, social-inclusion]\norganisation: Test Catering\n"
        "status: ongoing\nstart_year: 2008\nscope: regional\norganisation_type: social enterprise\n"
        "evidence_level: replicated\ntarget_groups: [people with disabilities, long-term unemployed]\n"
        "outcomes:\n  - indicator: people employed\n    value: 25\n    unit: people\n    year: 2023\n",
        "Kitchen jobs with training for people far from the labour market.",
    ),
    "formula-in-organisation": (
        "title: Awareness week\nsummary: A yearly week of open doors in social enterprises.\n"
        'regions: [rhein-neckar]\nthemes: [visibility-awareness]\norganisation: "=HYPERLINK(\\"http://evil\\")"\n'
        "status: ongoing\nstart_year: 2018\nscope: regional\n",
        "Open doors for citizens and schools.",
    ),
    "hostile-markdown": (
        "title: Social economy law\nsummary: A law that defines social enterprises.\n"
        "regions: [peloponnese]\nthemes: [policy-framework]\norganisation: Test Ministry\nstatus: ongoing\n"
        "start_year: 2016\nscope: regional\n",
        '<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n'
        "[click](javascript:window.__pwned=3) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[vb](VBScript:msgbox) [ent](&#106;avascript:alert(1)) <javascript:alert(1)>\n\n"
        '[ref][r]\n\n[r]: JaVaScRiPt:alert(1)\n\n<a href="javascript:alert(1)" onclick="x()">raw</a>',
    ),
}


def write_entries(folder: Path) -> None:
    shutil.copy(ROOT / "practices" / "taxonomy.yaml", folder / "taxonomy.yaml")
    for slug, (front, body) in ENTRIES.items():
        text = (
            f"---\n{front}sources:\n  - title: Test source\n    url: https://example.org/{slug}\n"
            f"  - title: Test report\n    url: https://example.org/{slug}/report\n"
            f"last_reviewed: 2026-11-01\n---\n\n## Description\n\n{body}\n\n## Results\n\nResults.\n\n"
            "## Transferability\n\nTransfer.\n"
        )
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("web")
    content = base / "practices"
    content.mkdir()
    write_entries(content)
    settings = Settings(content_dir=content, index_dir=base / "index")
    summary = reindex(settings, full=True)
    assert summary.failed == 0, summary.problems
    return settings


@pytest.fixture(scope="session")
def app(web_settings: Settings) -> Iterator[Flask]:
    app = create_app(web_settings)
    yield app
    app.extensions["kb"].close()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as client:
        yield client
