"""Write N realistic, deterministic entries (same seed, same files) for benchmarks and scale tests.

    python bench/generate.py OUT_DIR --count 10000 [--seed 1] [--taxonomy practices/taxonomy.yaml]

The text is assembled from social-economy sentence patterns so that word statistics, entry length
(about 350-700 words) and front matter resemble real entries; the entries say they are generated.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ACTORS = ["social cooperative", "municipality", "local action group", "foundation", "association of social "
          "enterprises", "regional development agency", "vocational school", "credit union", "community centre",
          "network of small businesses", "employment office", "university", "housing cooperative"]  # fmt: skip
GROUPS = ["long-term unemployed people", "young people not in education or training", "older people",
          "people with disabilities", "migrants and refugees", "women returning to work", "Roma communities",
          "small farmers", "people leaving prison", "single parents", "rural households"]  # fmt: skip
ACTIVITIES = ["training in bakery and catering", "repair and reuse of furniture", "digital skills courses",
              "community gardening", "care services for older people", "local food distribution",
              "recycling of textiles", "tourism services in villages", "renewable energy cooperatives",
              "microloans for small enterprises", "joint marketing of local products", "mentoring by companies",
              "social procurement by public bodies", "crowdfunding campaigns", "a shared online shop"]  # fmt: skip
OUTCOMES = ["more people found stable jobs", "new social enterprises were registered", "local products reached "
            "new markets", "public bodies bought more from social enterprises", "volunteers joined the activities",
            "waste sent to landfill fell", "participants gained recognised qualifications", "the model was copied "
            "by neighbouring towns"]  # fmt: skip
PATTERNS = [
    "The {actor} offers {activity} for {group}.",
    "Participants take part in {activity} and receive support from a {actor}.",
    "The practice combines {activity} with personal coaching for {group}.",
    "A {actor} coordinates the work and involves {group} from the start.",
    "Funding comes from regional programmes and from the sale of services such as {activity}.",
    "Evaluations reported that {outcome}.",
    "Partners meet every month to review progress and to plan {activity}.",
    "The approach builds trust between the {actor} and {group}.",
    "Staff were trained to support {group} in {activity}.",
    "After the pilot phase, {outcome}, and the {actor} decided to continue.",
]
TITLES = ["{Activity} for {group}", "{Actor} programme: {activity}", "Regional network for {activity}",
          "{Activity} run by a {actor}", "Local partnership on {activity}"]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    return rng.choice(PATTERNS).format(actor=rng.choice(ACTORS), activity=rng.choice(ACTIVITIES),
                                       group=rng.choice(GROUPS), outcome=rng.choice(OUTCOMES))  # fmt: skip


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(count))


def entry_text(i: int, rng: random.Random, regions: list[str], themes: list[str]) -> str:
    activity, group, actor = rng.choice(ACTIVITIES), rng.choice(GROUPS), rng.choice(ACTORS)
    title = rng.choice(TITLES).format(Activity=activity.capitalize(), activity=activity, group=group,
                                      Actor=actor.capitalize(), actor=actor)  # fmt: skip
    start = rng.randint(1995, 2024)
    status = rng.choice(["ongoing", "ongoing", "ongoing", "completed", "pilot"])
    front = {
        "title": f"{title} ({i})",
        "summary": f"Generated test entry: a {actor} offers {activity} for {group}.",
        "regions": rng.sample(regions, k=1 if rng.random() < 0.8 else 2),
        "themes": rng.sample(themes, k=rng.randint(1, 3)),
        "organisation": f"{actor.capitalize()} no. {i}",
        "status": status,
        "start_year": start,
        "scope": ("local", "regional", "national", "european")[
            i % 4
        ],  # no rng call: the same collection as before
        **({"end_year": min(2025, start + rng.randint(1, 8))} if status == "completed" else {}),
        "sources": [f"https://example.org/generated/{i}"],
        "last_reviewed": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        "keywords": rng.sample(["cooperative", "inclusion", "jobs", "training", "circular", "rural"], k=2),
    }
    body = (f"## Description\n\n{_paragraphs(rng, 3)}\n\n## Results\n\n{_paragraphs(rng, 2)}\n\n"
            f"## Transferability\n\n{_paragraphs(rng, 2)}\n")  # fmt: skip
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def generate(out: Path, count: int, seed: int, taxonomy: Path) -> None:
    vocabulary = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    regions = [r["key"] for r in vocabulary["regions"]]
    themes = [t["key"] for t in vocabulary["themes"]]
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(taxonomy, out / "taxonomy.yaml")
    rng = random.Random(seed)
    for i in range(count):
        (out / f"generated-{i:05d}.md").write_text(entry_text(i, rng, regions, themes), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--taxonomy", type=Path, default=Path(__file__).resolve().parent.parent / "practices" /
                        "taxonomy.yaml")  # fmt: skip
    args = parser.parse_args(argv)
    generate(args.out, args.count, args.seed, args.taxonomy)
    print(f"wrote {args.count} entries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
