"""A deterministic French news corpus for the bench, written for this project.

Articles mix paragraphs of the project's own demo articles (demo/articles/) with sentences
built from templates below: invented people, places, organisations and figures, written the
way French news is (1 200 with a narrow no-break space, 3,5 %, « guillemets », M. and Mme,
dialogue dashes). Same seed, same texts, byte for byte; no third-party text.

>>> a, b = articles(2, seed=7), articles(2, seed=7)
>>> a == b and len({text for _name, text in a}) == 2
True
"""

import random
import re
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo" / "articles"
NNBSP = "\u202f"  # thousands separator and space before ; : ! ? in careful French typography
NBSP = "\u00a0"

FIRST_NAMES = """
Amandine Baptiste Camille Damien Élodie Fabien Gaëlle Hugo Inès Jérôme Karima Léon Maëlys
Nadir Océane Pascal Quentin Rosalie Sébastien Thaïs Ulysse Véronique Wassim Xavier Yasmina
Zoé Anaïs Benoît Chloé Dorian Estelle Firmin Gwenaëlle Hervé Isaure Joachim Lucie Mathis
Noémie Olivier Pénélope Raphaël Solène Timothée Valérie Yannick Aurélien Bérénice Cyprien
""".split()
LAST_NAMES = """
Rouquette Delmas Kervella Aubertin Fabre-Morel Lhermitte Castagnède Ollivier Brisset Mazeau
Tessier Vautrin Guérin-Lacaze Pradal Sorbier Quintard Hamadi Ferrandi Jourdan
Malavieille Poncelet Ribérac Savignac Thévenot Vasseur Baudouin Carrère Dufresnoy Estève
Garnier-Roux Houdebine Issartel Lachaume Mérindol Nicolaï Orsini Peyrefitte Roussel Tardieu
""".split()
LAST_NAMES += ["Le Goff", "de La Varende"]  # names with a space
TITLES = ["M.", "Mme", "Me", "Dr", "Pr", "Mgr"]
ROLES = [
    "maire",
    "préfète",
    "préfet",
    "adjointe chargée des finances",
    "porte-parole du syndicat",
    "directeur de l’hôpital",
    "présidente de l’association des riverains",
    "procureur de la République",
    "secrétaire général de la fédération",
    "économiste à l’observatoire régional",
    "conseillère départementale",
    "commandant des pompiers",
]
PLACES = """
Montcalvès-sur-Lironde Villefrène Saint-Ombrel Kerbrenec Rocheval Aurène Serbanne
Pont-d’Arvel Sainte-Colombe-des-Landes Belcastel-le-Haut Navarrenc Lestrade Port-Maïlis
Chanteroy Val-d’Ysère Sarmonac Bréhalec Fontvieille-sur-Orne Mirandol Castelsec
""".split()
REGIONS = [
    "la Basse-Lironde",
    "l’Aurène",
    "le plateau de Serbanne",
    "la Karvénie",
    "les Aiguières",
    "la côte de Kerbrenec",
    "la vallée de l’Ombrel",
]
ORGS = [
    "la préfecture",
    "l’Observatoire régional de la santé",
    "la chambre régionale des comptes",
    "le syndicat CGT-Ports",
    "l’Insee",
    "l’agence régionale de santé",
    "le ministère de l’Intérieur",
    "la Croix-Rouge",
    "Météo-Lironde",
    "le parquet de Rocheval",
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
THINGS = [
    "le budget",
    "la dette",
    "le chantier",
    "le projet de rocade",
    "la réforme",
    "le plan de sauvegarde",
    "la campagne de dépistage",
    "le programme de rénovation",
]
QUOTES = [
    "nous ne laisserons personne sur le bord de la route",
    "la situation est sous contrôle, mais la vigilance reste de mise",
    "ce n’est pas une question d’argent, c’est une question de volonté",
    "les chiffres parlent d’eux-mêmes",
    "il faudra des années pour tout reconstruire",
    "nous avons alerté à plusieurs reprises, sans réponse",
    "personne n’avait vu venir une telle ampleur",
    "c’est une décision lourde, que nous assumons",
    "on nous promet des moyens depuis dix ans",
    "le dialogue reste ouvert, mais pas à n’importe quel prix",
]


def figure(rng, low, high):
    """An integer written the French way: 1 200, with a narrow no-break space."""
    return f"{rng.randint(low, high):,}".replace(",", NNBSP)


def decimal(rng, low, high):
    """3,5 — one decimal, comma separator."""
    return f"{rng.uniform(low, high):.1f}".replace(".", ",")


def person(rng):
    return f"{rng.choice(TITLES)} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def date(rng):
    return f"{rng.choice(DAYS)} {rng.randint(1, 28)} {rng.choice(MONTHS)}"


TEMPLATES = [
    lambda r: (
        f"« {r.choice(QUOTES).capitalize()} », a déclaré {person(r)}, {r.choice(ROLES)} de "
        f"{r.choice(PLACES)}, {date(r)}."
    ),
    lambda r: (
        f"Selon {r.choice(ORGS)}, {figure(r, 120, 98_000)} personnes ont été évacuées et "
        f"{figure(r, 2, 900)} blessés pris en charge dans {r.choice(REGIONS)}."
    ),
    lambda r: (
        f"{r.choice(THINGS).capitalize()} de {r.choice(PLACES)} atteint "
        f"{decimal(r, 1, 950)} millions d’euros, en hausse de {decimal(r, 0, 12)}{NBSP}% "
        f"sur un an."
    ),
    lambda r: (
        f"{person(r)} a estimé que « {r.choice(QUOTES)} » et a demandé une enquête "
        f"indépendante{NNBSP}; la réponse est attendue avant le {r.randint(1, 28)} "
        f"{r.choice(MONTHS)}."
    ),
    lambda r: (
        f"À {r.choice(PLACES)}, le taux de chômage s’établit à {decimal(r, 3, 19)}{NBSP}%, "
        f"contre {decimal(r, 3, 19)}{NBSP}% en {r.randint(1995, 2023)}."
    ),
    lambda r: (
        f"Le bilan provisoire fait état de {figure(r, 2, 4_000)} morts, d’après "
        f"{r.choice(ORGS)}, qui appelle à la prudence{NNBSP}!"
    ),
    lambda r: (
        f"— Combien de temps cela va-t-il durer{NNBSP}? demande {r.choice(FIRST_NAMES)}, "
        f"{r.randint(19, 88)} ans, installée à {r.choice(PLACES)} depuis {r.randint(2, 40)} ans."
    ),
    lambda r: (
        f"Le conseil municipal de {r.choice(PLACES)} a voté la mesure par "
        f"{r.randint(12, 45)} voix contre {r.randint(1, 11)}, après {r.randint(2, 9)} heures "
        f"de débat."
    ),
    lambda r: (
        f"Environ {figure(r, 1_000, 250_000)} foyers restaient privés d’électricité "
        f"{date(r)} au soir, soit {decimal(r, 0, 40)}{NBSP}% des abonnés de {r.choice(REGIONS)}."
    ),
    lambda r: (
        f"Interrogé par notre rédaction, {person(r)} affirme n’avoir « jamais été informé » "
        f"du rapport remis le {r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2015, 2024)}."
    ),
    lambda r: (
        f"La ligne entre {r.choice(PLACES)} et {r.choice(PLACES)} rouvrira dans "
        f"{r.randint(2, 30)} jours, a précisé {r.choice(ORGS)} dans un communiqué."
    ),
    lambda r: (
        f"Les forces de l’ordre ont interpellé {r.randint(2, 60)} personnes, dont "
        f"{r.randint(1, 12)} mineurs, selon {person(r)}, {r.choice(ROLES)}."
    ),
]


def demo_paragraphs():
    """Body paragraphs of the demo articles (the first line of each file is its title)."""
    paragraphs = []
    for path in sorted(DEMO_DIR.glob("*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")]
        paragraphs.extend(b for b in blocks[1:] if len(b.split()) >= 15)
    return paragraphs


def words(text):
    return len(text.split())


def headline(rng):
    return rng.choice(
        [
            f"{rng.choice(THINGS).capitalize()} de {rng.choice(PLACES)} : {person(rng)} s’explique",
            f"Intempéries : {figure(rng, 100, 9_000)} sinistrés dans {rng.choice(REGIONS)}",
            f"{rng.choice(PLACES)} : « {rng.choice(QUOTES)} »",
            f"Grève à {rng.choice(PLACES)} : le trafic perturbé jusqu’à {rng.choice(DAYS)}",
        ]
    )


def article(rng, paragraphs, target_words=600):
    """A headline, then paragraphs (demo and generated, alternating) up to ~target_words."""
    parts = [headline(rng)]
    count = 0
    while count < target_words:
        if rng.random() < 0.4 and paragraphs:
            block = rng.choice(paragraphs)
        else:
            block = " ".join(rng.choice(TEMPLATES)(rng) for _ in range(rng.randint(2, 5)))
        parts.append(block)
        count += words(block)
    return "\n\n".join(parts) + "\n"


def articles(n, *, seed=2024, target_words=600):
    """n (file name, text) pairs, each text distinct."""
    rng = random.Random(seed)
    paragraphs = demo_paragraphs()
    out, seen = [], set()
    while len(out) < n:
        text = article(rng, paragraphs, target_words)
        if text in seen:
            continue
        seen.add(text)
        out.append((f"bench-{len(out):05d}.txt", text))
    return out


_WORD = re.compile(r"\w+(?:[’'-]\w+)*|\d+(?:[\u202f\u00a0,.]\d+)*", re.UNICODE)


def word_spans(text, sentences, rng, n, *, max_words=6):
    """n distinct (start, end) spans of 1..max_words whole words inside one sentence each.

    Offsets are code points of `text`, as the annotation page sends them.
    """
    words_by_sentence = []
    for start, end in sentences:
        found = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
        if found:
            words_by_sentence.append(found)
    picked, seen = [], set()
    attempts = 0
    while len(picked) < n and attempts < n * 50:
        attempts += 1
        found = rng.choice(words_by_sentence)
        first = rng.randrange(len(found))
        last = min(len(found) - 1, first + rng.randrange(max_words))
        span = (found[first][0], found[last][1])
        if span not in seen:
            seen.add(span)
            picked.append(span)
    return picked
