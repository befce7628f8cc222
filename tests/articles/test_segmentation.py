import doctest
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.articles import segmentation
from annotator.articles.segmentation import split_sentences

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "000_9a9b054ee487a721.txt"
NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def assert_well_formed(text, spans):
    covered = [0] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), "spans are sorted, apart, in bounds"
        assert not text[start].isspace(), "spans are stripped"
        assert not text[end - 1].isspace(), "spans are stripped"
        assert "\n" not in text[start:end]
        assert len(text[start:end].splitlines()) == 1, "no line break of any kind inside"
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    for i, char in enumerate(text):
        if not char.isspace():
            assert covered[i] == 1, f"{char!r} at {i} is covered {covered[i]} times"


@pytest.mark.parametrize("text", ["", " ", "\n\n", f" {NBSP}\t{NNBSP}\r\n{THIN} "])
def test_blank_text_has_no_sentence(text):
    assert split_sentences(text) == []


def test_docstring_example_holds():
    assert doctest.testmod(segmentation).failed == 0


def test_spans_are_offsets_into_the_text_and_stripped():
    text = "  Il pleut.   Il vente.  "
    assert split_sentences(text) == [(2, 11), (14, 23)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "M. Valdor et Mme. Kessel sont arrivés. MM. Roux et Blanc aussi. Mlle Orsan reste.",
            [
                "M. Valdor et Mme. Kessel sont arrivés.",
                "MM. Roux et Blanc aussi.",
                "Mlle Orsan reste.",
            ],
            id="titles",
        ),
        pytest.param(
            "Le Dr. Fabre reçoit à St. Aubin. Voir p. 42 et art. 3 du règlement.",
            ["Le Dr. Fabre reçoit à St. Aubin.", "Voir p. 42 et art. 3 du règlement."],
            id="dr-st-p-art",
        ),
        pytest.param(
            "Fondée en 52 av. J.-C. la ville prospère. Elle tombe en 410 apr. J.-C. Les Goths"
            " arrivent.",
            [
                "Fondée en 52 av. J.-C. la ville prospère.",
                "Elle tombe en 410 apr. J.-C.",
                "Les Goths arrivent.",
            ],
            id="av-apr-jc",
        ),
        pytest.param(
            "Le recueil (éd. Pélican, chap. 4, env. 300 pages) sort le 3 janv. 2021. Cf. le n° 12."
            " La suite est au vol. 2, puis au vol. III. Elle paraît le 4 févr. Les libraires"
            " attendent.",
            [
                "Le recueil (éd. Pélican, chap. 4, env. 300 pages) sort le 3 janv. 2021.",
                "Cf. le n° 12.",
                "La suite est au vol. 2, puis au vol. III.",
                "Elle paraît le 4 févr.",
                "Les libraires attendent.",
            ],
            id="bibliography-and-months",
        ),
        pytest.param(
            "Un vol. Le pilote est sain et sauf. Ils étaient sept. Le 5 sept. 2024, ils partent.",
            [
                "Un vol.",
                "Le pilote est sain et sauf.",
                "Ils étaient sept.",
                "Le 5 sept. 2024, ils partent.",
            ],
            id="abbreviation-letters-that-are-also-words",
        ),
        pytest.param(
            "Les pommes, les poires, etc. sont vendues. On a tout vendu, etc. Le marché ferme.",
            [
                "Les pommes, les poires, etc. sont vendues.",
                "On a tout vendu, etc.",
                "Le marché ferme.",
            ],
            id="etc",
        ),
        pytest.param(
            "Sammy Vidal Jr. est là. Il a fondé Vidal et Cie. La Sté. Marbel ferme.",
            ["Sammy Vidal Jr. est là.", "Il a fondé Vidal et Cie.", "La Sté. Marbel ferme."],
            id="jr-cie-ste",
        ),
        pytest.param(
            "Il a vu J.-L. Mérignac et F. Castagne. Puis Ph. Arnaud et J. de Vallière.",
            ["Il a vu J.-L. Mérignac et F. Castagne.", "Puis Ph. Arnaud et J. de Vallière."],
            id="initials",
        ),
        pytest.param(
            "Il relit A. J. Verrand. Le règne de Dagobert I. Il dure peu. Soutenu par J.-M. Le"
            " Gall, il gagne. Il prend la ligne B. C'est direct.",
            [
                "Il relit A. J. Verrand.",
                "Le règne de Dagobert I.",
                "Il dure peu.",
                "Soutenu par J.-M. Le Gall, il gagne.",
                "Il prend la ligne B.",
                "C'est direct.",
            ],
            id="capital-then-a-word-that-is-no-name",
        ),
        pytest.param(
            f"Le village compte 1 200 habitants, 1{NBSP}350 moutons et 2{NNBSP}400 poules, soit"
            " 3,5 % de plus. Le budget est de 1.200 euros. La tour mesure 12.5 m. Elle penche.",
            [
                f"Le village compte 1 200 habitants, 1{NBSP}350 moutons et 2{NNBSP}400 poules, soit"
                " 3,5 % de plus.",
                "Le budget est de 1.200 euros.",
                "La tour mesure 12.5 m.",
                "Elle penche.",
            ],
            id="numbers",
        ),
        pytest.param(
            "Il compte 12 moutons. 213 chèvres broutent aussi.",
            ["Il compte 12 moutons.", "213 chèvres broutent aussi."],
            id="sentence-starting-with-a-number",
        ),
        pytest.param(
            "Il hésite… puis part. Il attend... Rien ne vient. Elle hésite... et repart.",
            [
                "Il hésite… puis part.",
                "Il attend...",
                "Rien ne vient.",
                "Elle hésite... et repart.",
            ],
            id="ellipsis",
        ),
        pytest.param(
            "Ils visent Nantes et… Les Sables-d'Olonne. La course a lieu « […] Demain » dit-il."
            " Il cite le texte. (…) Les autres suivent.",
            [
                "Ils visent Nantes et… Les Sables-d'Olonne.",
                "La course a lieu « […] Demain » dit-il.",
                "Il cite le texte.",
                "(…) Les autres suivent.",
            ],
            id="ellipsis-that-is-a-pause-or-an-elision",
        ),
        pytest.param(
            "« Je pars. » dit-il. « Je reste ! » Puis il sort. « Vraiment ? » demanda-t-elle.",
            [
                "« Je pars. » dit-il.",
                "« Je reste ! »",
                "Puis il sort.",
                "« Vraiment ? » demanda-t-elle.",
            ],
            id="guillemets",
        ),
        pytest.param(
            f"«{NNBSP}Je pars.{NNBSP}» Elle rit{NNBSP}! «{NNBSP}Pas moi{NNBSP}!{NNBSP}» dit-il.",
            [
                f"«{NNBSP}Je pars.{NNBSP}»",
                f"Elle rit{NNBSP}!",
                f"«{NNBSP}Pas moi{NNBSP}!{NNBSP}» dit-il.",
            ],
            id="guillemets-with-narrow-no-break-spaces",
        ),
        pytest.param(
            "Il a dit : « Je pars. Tu restes. » Elle acquiesce.",
            ["Il a dit : « Je pars.", "Tu restes. »", "Elle acquiesce."],
            id="two-sentences-inside-guillemets",
        ),
        pytest.param(
            "Il a écrit \"Fin.\" Puis il dort. Elle répond : “Bien.” Il rit. C'est 'court.' Oui.",
            [
                'Il a écrit "Fin."',
                "Puis il dort.",
                "Elle répond : “Bien.”",
                "Il rit.",
                "C'est 'court.'",
                "Oui.",
            ],
            id="closing-quotes",
        ),
        pytest.param(
            'Elle dit : " Je pars. " Il reste. " Non ! " Elle sort.',
            ['Elle dit : " Je pars. "', "Il reste.", '" Non ! "', "Elle sort."],
            id="spaced-straight-quotes-pair-up",
        ),
        pytest.param(
            "Quoi ?! Il est parti !! Vraiment ?? Oui.",
            ["Quoi ?!", "Il est parti !!", "Vraiment ??", "Oui."],
            id="repeated-marks",
        ),
        pytest.param(
            "— Tu viens ?\n— Non. Je reste. — Tant pis ! — Oui, tant pis.",
            ["— Tu viens ?", "— Non.", "Je reste.", "— Tant pis !", "— Oui, tant pis."],
            id="dialogue-dashes",
        ),
        pytest.param(
            "Écrivez à jean.dupont@exemple.fr ou sur www.exemple.fr. Le site https://a.b/c.html"
            " est ouvert.",
            [
                "Écrivez à jean.dupont@exemple.fr ou sur www.exemple.fr.",
                "Le site https://a.b/c.html est ouvert.",
            ],
            id="urls-and-emails",
        ),
        pytest.param(
            "Au XXe siècle. Le 1er mai. Le 2e jour. La 3e édition.",
            ["Au XXe siècle.", "Le 1er mai.", "Le 2e jour.", "La 3e édition."],
            id="ordinals",
        ),
        pytest.param(
            "Il est parti (voir plus haut.) Le reste suit. Il dort (enfin !) et rêve. Il a lu"
            " [sic.] Le texte.",
            [
                "Il est parti (voir plus haut.)",
                "Le reste suit.",
                "Il dort (enfin !) et rêve.",
                "Il a lu [sic.]",
                "Le texte.",
            ],
            id="brackets",
        ),
        pytest.param(
            "Lyon gagne ; Le Havre perd ; le public rit. Le match est fini ; Les joueurs partent.",
            [
                "Lyon gagne ; Le Havre perd ; le public rit.",
                "Le match est fini ;",
                "Les joueurs partent.",
            ],
            id="capital-word-after-a-semicolon",
        ),
        pytest.param(
            "Art. 5 : le bureau vote. Cf. Martin et N. Vautrin. Vol. 2 : la suite.",
            ["Art. 5 : le bureau vote.", "Cf. Martin et N. Vautrin.", "Vol. 2 : la suite."],
            id="capitalised-abbreviations-but-not-initials",
        ),
        pytest.param(
            "Renseignements : tél. 03 83 12 34 56. La fête a lieu pl. Stanislas. Entrée libre.",
            [
                "Renseignements : tél. 03 83 12 34 56.",
                "La fête a lieu pl. Stanislas.",
                "Entrée libre.",
            ],
            id="practical-information",
        ),
        pytest.param(
            "Le vote a eu lieu samedi. à Nantes, rien ne change. Voir env. trois cents pages.",
            [
                "Le vote a eu lieu samedi.",
                "à Nantes, rien ne change.",
                "Voir env. trois cents pages.",
            ],
            id="capital-lost-after-a-whole-word",
        ),
    ],
)
def test_hard_cases(text, expected):
    assert sentences(text) == expected


def test_a_line_break_ends_a_segment():
    text = (
        "Un titre sans point\r\n\r\nLe premier paragraphe.\nLa suite,\u2028sans point\n"
        "1. Le contexte\n2. Les enjeux"
    )
    assert sentences(text) == [
        "Un titre sans point",
        "Le premier paragraphe.",
        "La suite,",
        "sans point",
        "1. Le contexte",
        "2. Les enjeux",
    ]


def test_emoji_and_nbsp_do_not_break_the_invariants():
    text = f"Génial{NNBSP}! 😀 Merci.{NBSP}{NBSP}👍🏽\n{THIN}Fin{NBSP}!"
    assert sentences(text) == [f"Génial{NNBSP}!", "😀 Merci.", "👍🏽", f"Fin{NBSP}!"]
    assert_well_formed(text, split_sentences(text))


# The real article is read from shared/, never copied into the repository.
@pytest.fixture(scope="module")
def article():
    return ARTICLE.read_text(encoding="utf-8")


def test_article_spans_are_well_formed(article):
    assert_well_formed(article, split_sentences(article))


def test_article_titles_and_boilerplate_are_their_own_segments(article):
    found = sentences(article)
    assert found[0] == "Libye : le soutien inattendu de Donald Trump au maréchal Haftar"
    assert "Un revirement inattendu" in found
    assert "Haftar, salué par l’administration Trump" in found
    assert found.count("Publicité") == 2
    assert found[-3:] == [
        "Votre adresse e-mail ne sera pas publiée.",
        "Les champs obligatoires sont indiqués avec *",
        "Publicité",
    ]


def test_article_sentence_boundaries(article):
    found = sentences(article)
    assert len(found) == 20
    starts = [sentence.split(" ", 3)[:3] for sentence in found]
    assert ["213", "personnes", "ont"] in starts  # a sentence may start with a number
    assert ["Contre", "toute", "attente,"] in starts
    # "et… Les États-Unis" is a pause inside the sentence, not an ending.
    assert any(
        sentence.startswith("Une déclaration") and sentence.endswith("et… Les États-Unis.")
        for sentence in found
    )
    assert not any(sentence.startswith("Les États-Unis") for sentence in found)


WORDS = ["été", "Hélène", "garçon", "Noël", "où", "ÉTAT", "cœur", "l’État", "aujourd'hui"]
PIECES = [
    "M.",
    "Mme",
    "MM.",
    "J.-L.",
    "av. J.-C.",
    "etc.",
    "p.",
    "n°",
    "1er",
    "XXe",
    "janv.",
    "1 200",
    f"1{NBSP}200",
    f"2{NNBSP}500",
    "3,5",
    "12.5",
    "www.exemple.fr",
    "a@b.fr",
    "«",
    "»",
    f"«{NNBSP}",
    f"{NNBSP}»",
    '"',
    "“",
    "”",
    "’",
    "(",
    ")",
    "[…]",
    "—",
    "–",
    ".",
    "!",
    "?",
    "?!",
    "…",
    "...",
    ";",
    ":",
    ",",
]
SEPARATORS = [" ", " ", NBSP, NNBSP, THIN, "\t", "\n", "\r\n", "\n\n", "\u2028", ""]
EMOJI = ["😀", "👍🏽", "🇫🇷"]


french_like_text = st.lists(
    st.one_of(
        st.sampled_from(WORDS + PIECES + EMOJI),
        st.sampled_from(SEPARATORS),
        st.text(max_size=3),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(french_like_text)
def test_spans_are_well_formed_on_french_like_text(text):
    assert_well_formed(text, split_sentences(text))


def test_long_lines_take_linear_time():
    # Every rule looks at a bounded window; a quadratic slip would take minutes here.
    line = 'Il dit " oui. " Puis M. Roux part ; Les autres... Elle rit ! ' * 20_000
    started = time.perf_counter()
    spans = split_sentences(line)
    assert time.perf_counter() - started < 5
    assert len(spans) > 20_000
