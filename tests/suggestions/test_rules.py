"""The rule-based suggester reads French as the suggestions guidelines say. Every sentence
here is made up for these tests, about made-up events."""

import doctest
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.suggestions import rules
from annotator.suggestions.rules import suggest
from bench import suggestions as bench

NBSP, NNBSP = "\u00a0", "\u202f"
DEV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "suggestions"


def quotes(text):
    return [s for s in suggest(text) if s.label == "Quote"]


def said(quote, key):
    """The words of a quote's speaker or cue, or None when the rules found none."""
    words = quote.attributes.get(key)
    return None if words is None else words["text"]


def figures(text):
    return [s for s in suggest(text) if s.label == "Casualty figure"]


def spans(found, text):
    return [text[s.start : s.end] for s in found]


def test_examples_in_docstrings_hold():
    assert doctest.testmod(rules).failed == 0


# --- Direct quotes ------------------------------------------------------------------------


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP])
def test_guillemets_with_any_space_give_the_words_inside(space):
    text = f"«{space}Le pont rouvrira lundi{space}», a annoncé la préfète."
    (quote,) = quotes(text)
    assert text[quote.start : quote.end] == "Le pont rouvrira lundi"
    assert said(quote, "cue") == "annoncé"
    assert said(quote, "speaker") == "la préfète"
    assert quote.partial is False


def test_an_incise_inside_the_marks_is_one_span():
    text = "« Nous partirons, a-t-il dit, demain matin. »"
    (quote,) = quotes(text)
    assert text[quote.start : quote.end] == "Nous partirons, a-t-il dit, demain matin."
    assert quote.incise is True
    assert said(quote, "cue") == "dit"
    assert said(quote, "speaker") == "il"


def test_speaker_and_cue_point_into_the_text():
    text = "Le maire de Valbrune a déclaré : « Nous reconstruirons l'école. »"
    (quote,) = quotes(text)
    a = quote.attributes
    speaker, cue = a["speaker"], a["cue"]
    assert text[speaker["start"] : speaker["end"]] == speaker["text"] == "Le maire de Valbrune"
    assert text[cue["start"] : cue["end"]] == cue["text"] == "déclaré"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("“Nous ne céderons pas”, a répété la ministre.", "Nous ne céderons pas"),
        ('"Nous ne céderons pas", a répété la ministre.', "Nous ne céderons pas"),
        ('Il a répondu "jamais" avant de raccrocher.', "jamais"),
    ],
)
def test_straight_and_curly_quotes(text, words):
    assert spans(quotes(text), text) == [words]


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "Selon le porte-parole du parquet, « aucune piste n'est écartée ».",
            "le porte-parole du parquet",
            "Selon",
        ),
        ("D'après Mme Lefèvre, « la digue a tenu ».", "Mme Lefèvre", "D'après"),
        (
            "Le syndicat dénonce une « provocation inacceptable » de la direction.",
            "Le syndicat",
            "dénonce",
        ),
        ("« C'est une honte ! » s'indigne un riverain.", "un riverain", "indigne"),
    ],
)
def test_cues_before_and_after(text, speaker, cue):
    (quote,) = quotes(text)
    assert (
        said(quote, "speaker"),
        said(quote, "cue"),
    ) == (speaker, cue)


def test_an_utterance_without_cue_is_a_quote():
    assert spans(quotes("« Plus jamais ça ! »"), "« Plus jamais ça ! »") == ["Plus jamais ça !"]


def test_a_quote_goes_on_over_paragraphs():
    text = "« Le premier paragraphe s'ouvre ici.\n« Et le second le termine », a conclu l'oratrice."
    (quote,) = quotes(text)
    assert text[quote.start : quote.end] == (
        "Le premier paragraphe s'ouvre ici.\n« Et le second le termine"
    )
    assert said(quote, "speaker") == "l'oratrice"


def test_a_quote_left_open_ends_with_its_paragraph():
    text = "Elle a conclu : « Les travaux reprendront.\n\nLa mairie n'a pas commenté."
    (quote,) = quotes(text)
    assert text[quote.start : quote.end] == "Les travaux reprendront."
    assert quote.partial is True


def test_unmatched_marks_give_partial_quotes():
    closing = "Le chantier est arrêté », a dit le maire."
    assert spans(quotes(closing), closing) == ["Le chantier est arrêté"]
    assert quotes(closing)[0].partial is True
    assert quotes("» Puis il est reparti.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Il a lu « Les Misérables » pendant les vacances.",
        "Le film « Un homme et une femme » sera projeté ce soir.",
        "Jean Dupont, surnommé « le Lion », a remporté la course.",
        "L'opération « Tempête du désert » a commencé en 1991.",
        "Elle anime l'émission « Qui veut gagner des millions ? » depuis dix ans.",
        "Il travaille pour l'association « Les Amis de la Terre ».",
        "Le tournoi, appelé « coupe des nations », réunit huit équipes.",
    ],
)
def test_titles_names_and_nicknames_are_not_quotes(text):
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Le mot « résilience » revient dans tous les discours.",
        "Les salariés ont lancé une procédure collective (« class action ») contre le groupe.",
    ],
)
def test_words_cited_as_words_are_not_quotes(text):
    assert quotes(text) == []


def test_scare_quotes_without_cue_are_not_quotes():
    assert quotes("Le « poumon vert » de la région est menacé par les travaux.") == []


# --- Casualty figures ---------------------------------------------------------------------


def attrs(s):
    a = s.attributes
    return a["kind"], a.get("min"), a.get("max"), a["precision"]


@pytest.mark.parametrize(
    ("text", "span", "reading"),
    [
        (
            "L'attentat a fait au moins 12 morts.",
            "au moins 12 morts",
            ("killed", 12, None, "approx"),
        ),
        (
            f"Le séisme a fait 1{NNBSP}200 blessés.",
            f"1{NNBSP}200 blessés",
            ("injured", 1200, 1200, "exact"),
        ),
        ("Le séisme a fait 1 200 blessés.", "1 200 blessés", ("injured", 1200, 1200, "exact")),
        (
            "Plusieurs centaines de personnes ont été déplacées par la crue.",
            "Plusieurs centaines de personnes",
            ("displaced", 200, 999, "approx"),
        ),
        (
            "Trois soldats ont trouvé la mort dans l'embuscade.",
            "Trois soldats",
            ("killed", 3, 3, "exact"),
        ),
        (
            "Le naufrage a fait entre 40 et 60 disparus.",
            "entre 40 et 60 disparus",
            ("missing", 40, 60, "approx"),
        ),
        ("Aucun blessé n'est à déplorer.", "Aucun blessé", ("injured", 0, 0, "exact")),
        (
            "Quatre-vingt-dix-sept personnes ont été tuées.",
            "Quatre-vingt-dix-sept personnes",
            ("killed", 97, 97, "exact"),
        ),
        (
            "Une dizaine de victimes ont été recensées.",
            "Une dizaine de victimes",
            ("affected", 10, 10, "approx"),
        ),
    ],
)
def test_casualty_figures_and_their_attributes(text, span, reading):
    (figure,) = figures(text)
    assert text[figure.start : figure.end] == span
    assert attrs(figure) == reading


def test_each_count_is_its_own_span_and_subsets_after_dont_too():
    text = "L'accident a fait deux blessés, dont un grave, et quatre morts."
    assert spans(figures(text), text) == ["deux blessés", "un", "quatre morts"]


def test_an_elided_noun_takes_the_predicate():
    text = "Dix personnes sont mortes et 81 ont été blessées dans la collision."
    found = figures(text)
    assert spans(found, text) == ["Dix personnes", "81"]
    assert [f.attributes["kind"] for f in found] == ["killed", "injured"]


def test_the_object_of_a_verb_of_harm_takes_that_verb():
    text = "L'explosion a tué 9 mineurs et en a blessé 14 autres."
    found = figures(text)
    assert spans(found, text) == ["9 mineurs", "14"]
    assert [f.attributes["kind"] for f in found] == ["killed", "injured"]


@pytest.mark.parametrize(
    "text",
    [
        "Le village compte 12 maisons et une école.",
        "213 députés ont voté pour le texte.",
        "Il est mort le 13 août 1963 à Valbrune.",
        "Âgé de 56 ans, il dirigeait l'usine depuis 2004.",
        "Trois habitants sur dix ont déjà été vaccinés.",
        "Le taux est de 12 morts pour 100 000 habitants.",
        "De nombreux blessés ont été évacués.",
        "Un homme a été tué par balle hier soir.",
        "Cinq policiers ont tué un suspect lors de l'assaut.",
        "Trois hommes ont été condamnés à mort.",
        "Plus de 100 personnes se trouvaient dans l'immeuble.",
        "La police a interpellé 12 personnes après les violences.",
        "Une journaliste de France 24 victime d'une agression a porté plainte.",
        "Quelque 200 soldats ont été déployés dans la région.",
    ],
)
def test_numbers_that_are_not_casualty_figures(text):
    assert figures(text) == []


# --- Any text -----------------------------------------------------------------------------


def test_offsets_hold_on_a_whole_article():
    text = (
        "Crue : 8 200 sinistrés dans la vallée\n\n"
        "« Nous n'avons jamais vu ça », a déclaré jeudi M. Hugo Vasseur. Au moins 3 personnes "
        "sont mortes et 14 ont été blessées.\n« Les secours arrivent », assure la préfète."
    )
    found = suggest(text)
    assert len(found) == 5
    for s in found:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()


# Pieces of casualty phrases and quotes among any characters, lone surrogates included.
PIECES = st.one_of(
    st.sampled_from(list("«»“”„‹›\"'’ \u00a0\u202f\n.,:;!?()-0123456789")),
    st.sampled_from(["un ", "dont ", "morts", "blessés", "a dit", "au moins ", "de ", "a-t-il"]),
    st.characters(exclude_categories=()),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_never_raises_and_spans_are_in_the_text(text):
    for s in suggest(text):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip()


@pytest.mark.parametrize(
    "text", ["", "\x00", "\ud800« a »\udfff", "«" * 5000, '"' * 5001, "1 " * 5000, "de " * 3000]
)
def test_hostile_strings(text):
    suggest(text)


# --- The shared gold standard -------------------------------------------------------------


def test_dev_set_meets_the_targets_through_the_shared_scorer():
    score = bench.load(DEV, "score")
    gold = score.load_gold(str(DEV / "dev.jsonl"))
    figures_ = bench.evaluate(score, gold, bench.ours)
    failing = {
        t.metric: figures_[t.metric] for t in bench.TARGETS if not t.passed(figures_[t.metric])
    }
    assert failing == {}
