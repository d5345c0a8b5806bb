"""Seeded, realistic French profiles as SearchDocs, and the query mix (no database needed)."""

import csv
import gzip
import random
from collections.abc import Iterator

from directory.badges.esco import DATA_DIR
from directory.demo import data
from directory.search.analysis import fold
from directory.search.analysis import is_stop_word
from directory.search.analysis import words
from directory.search.types import SearchDoc

REGIONS = {
    "59": ("Nord", "Hauts-de-France"),
    "62": ("Pas-de-Calais", "Hauts-de-France"),
    "80": ("Somme", "Hauts-de-France"),
    "60": ("Oise", "Hauts-de-France"),
    "02": ("Aisne", "Hauts-de-France"),
}
OPEN_TO = ("missions", "partnerships", "hiring", "mentoring")
BIO = [
    "Après {n} ans dans {secteur}, j'ai créé {entreprise} à {commune} : notre équipe {activite}.",
    "Je développe des compétences en {skill} et en {skill2}, avec l'appui de mes partenaires.",
    "Nos clients apprécient notre sens du service, la qualité du travail et la réactivité.",
    "J'ai suivi un accompagnement à la création d'entreprise, puis une formation en {skill}.",
    "Nous recrutons des apprentis et travaillons avec les associations du territoire.",
    "Mes priorités : la relation client, la gestion de la trésorerie et le développement commercial.",
    "Engagée dans la transition écologique, l'entreprise réduit ses déchets et privilégie les circuits courts.",
]


def esco_skills(limit: int = 1500, seed: int = 7) -> list[dict]:
    """A seeded sample of ESCO skills with French labels and synonyms, and English labels."""
    english = {row["conceptUri"]: row["preferredLabel"] for row in _read("skills_en-us.csv.gz")}
    rows = [row for row in _read("skills_fr.csv.gz") if row["conceptUri"] in english]
    random.Random(seed).shuffle(rows)
    return [
        {"id": str(i), "fr": r["preferredLabel"], "syn": r["altLabels"], "en": english[r["conceptUri"]]}
        for i, r in enumerate(rows[:limit])
    ]


def _read(name: str) -> Iterator[dict]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


class Corpus:
    """N profiles drawn with a fixed seed; badges are shared between profiles (Zipf-like)."""

    def __init__(self, size: int, seed: int = 42):
        self.rng = random.Random(seed)
        self.skills = esco_skills()
        self.badges = [self._badge(i) for i in range(120)]
        self.issuers = [f"emetteur-{i}" for i in range(12)]
        self.endorsers = [f"partenaire-{i}" for i in range(40)]
        self.size = size

    def _badge(self, number: int) -> dict:
        skills = self.rng.sample(self.skills[:600], self.rng.randint(2, 5))
        name = (
            f"{skills[0]['fr'].capitalize()} : niveau {self.rng.choice(['découverte', 'confirmé', 'expert'])}"
        )
        return {
            "slug": f"badge-{number}",
            "name": name,
            "skills": skills,
            "text": f"Ce badge reconnaît la capacité à {skills[0]['fr']} et à {skills[1]['fr']}. "
            f"Critères : présenter deux réalisations, un entretien avec un jury de pairs.",
        }

    def _pick_badges(self) -> list[dict]:
        count = self.rng.choice((1, 1, 2, 2, 3, 4, 6))
        return list(
            {
                id(b): b
                for b in (self.badges[min(int(self.rng.paretovariate(1.2)) - 1, 119)] for _ in range(count))
            }.values()
        )

    def docs(self) -> Iterator[SearchDoc]:
        for number in range(self.size):
            yield self._doc(number)

    def _doc(self, number: int) -> SearchDoc:
        rng = self.rng
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        commune, _, departement, _ = rng.choice(data.COMMUNES)
        sector = rng.choice(list(data.SECTORS))
        headline, company, activity = rng.choice(data.SECTORS[sector])
        company = company.format(last=last, commune=commune)
        badges = self._pick_badges()
        endorsed = [b for b in badges if rng.random() < 0.4]
        endorsers = sorted({rng.choice(self.endorsers) for _ in endorsed})
        skills = [s for b in badges for s in b["skills"]]
        bio = " ".join(
            rng.choice(BIO).format(
                n=rng.randint(2, 25),
                secteur=sector,
                entreprise=company,
                commune=commune,
                activite=activity,
                skill=rng.choice(skills)["fr"],
                skill2=rng.choice(self.skills)["fr"],
            )
            for _ in range(rng.randint(4, 9))
        )
        return SearchDoc(
            id=str(number),
            endorsed="\n".join(s["fr"] for b in endorsed for s in b["skills"]),
            skills="\n".join(
                [b["name"] for b in badges] + [f"{s['fr']}\n{s['syn']}\n{s['en']}" for s in skills]
            ),
            main="\n".join(
                [f"{first} {last}", headline, company, sector, commune, *REGIONS.get(departement, ("", ""))]
            ),
            body="\n".join([bio, *(b["text"] for b in badges)]),
            facets={
                "region": (REGIONS.get(departement, ("", "Hauts-de-France"))[1],),
                "departement": (departement,),
                "competence": tuple(dict.fromkeys(s["id"] for s in skills)),
                "badge": tuple(b["slug"] for b in badges),
                "emetteur": (self.issuers[number % len(self.issuers)],),
                "reconnu_par": tuple(endorsers),
                "ouvert_a": tuple(sorted(set(rng.sample(OPEN_TO, rng.randint(0, 2))))),
            },
            sort_name=fold(f"{last} {first}"),
            updated=1_700_000_000 + number,
        )


def query_mix(corpus: Corpus, per_kind: int = 40, seed: int = 1) -> list[tuple[str, str, dict]]:
    """(kind, text, filters): one term, two terms, phrase, prefix, facet filter, top-20 with all facets."""
    rng = random.Random(seed)
    vocabulary = [
        w for s in corpus.skills[:600] for w in words(s["fr"]) if not is_stop_word(w) and len(w) > 3
    ]
    labels = [s["fr"] for b in corpus.badges for s in b["skills"] if len(words(s["fr"])) >= 2]

    def typed(word: str) -> str:  # a quarter typed without accents
        return fold(word) if rng.random() < 0.25 else word

    queries = []
    for _ in range(per_kind):
        queries.append(("term", typed(rng.choice(vocabulary)), {}))
        queries.append(("two", f"{typed(rng.choice(vocabulary))} {typed(rng.choice(vocabulary))}", {}))
        queries.append(("phrase", f'"{rng.choice(labels)}"', {}))
        queries.append(("prefix", fold(rng.choice(vocabulary))[: rng.randint(4, 6)] + "*", {}))
        queries.append(
            ("filter", typed(rng.choice(vocabulary)), {"departement": (rng.choice(list(REGIONS)),)})
        )
        queries.append(("facets", typed(rng.choice(vocabulary)), {}))
    return queries
