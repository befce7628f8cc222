import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.articles.cleaning import clean_text

NBSP, NNBSP = "\u00a0", "\u202f"


def test_line_endings_become_newlines():
    raw = "Titre\r\nPremière ligne\rDeuxième ligne\u2028Troisième\u2029Quatrième"
    assert clean_text(raw).text == "Titre\nPremière ligne\nDeuxième ligne\nTroisième\nQuatrième"


def test_text_is_composed_to_nfc():
    decomposed = "Le pre\u0301fet a de\u0301cide\u0301."
    assert clean_text(decomposed).text == "Le préfet a décidé."


def test_trailing_spaces_tabs_and_no_break_spaces_are_trimmed_leading_ones_kept():
    raw = f"Premier paragraphe.  \t\n    Citation en retrait.{NBSP}\nFin{NNBSP}"
    assert clean_text(raw).text == "Premier paragraphe.\n    Citation en retrait.\nFin"


def test_blank_lines_at_the_ends_go_and_runs_of_them_shrink_to_one():
    raw = "\n \n\nPremier paragraphe.\n\n\n\n   \nSecond paragraphe.\n\nTroisième.\n\n\n"
    assert clean_text(raw).text == "Premier paragraphe.\n\nSecond paragraphe.\n\nTroisième."


def test_control_and_zero_width_characters_are_removed_tabs_kept():
    raw = "\ufeffLe\u200b maire\x00 a\x07 parlé\tce matin.\x1b"
    assert clean_text(raw).text == "Le maire a parlé\tce matin."


def test_a_zero_width_space_inside_a_decomposed_letter_does_not_prevent_composition():
    assert clean_text("e\u200b\u0301te\u0301").text == "été"


def test_french_typography_is_kept_exactly():
    raw = (
        f"«{NBSP}Nous n’irons pas{NBSP}!{NBSP}» — a lancé la maire… Coût{NNBSP}: 1{NBSP}200 €"
        " – soit « deux fois » plus."
    )
    assert clean_text(raw).text == raw


@pytest.mark.parametrize(
    "line",
    [
        "Publicité",
        "PUBLICITE",
        "Laisser un commentaire",
        "Votre adresse e-mail ne sera pas publiée.",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Les champs obligatoires sont indiqués avec *",
        "Partager",
        "Partager sur Facebook",
        "Partager sur X",
        "Partager cet article",
        "Tweeter",
        "Abonnez-vous",
        "S'abonner",
        "S’abonner",
        "Abonnez-vous à notre newsletter",
        "Inscrivez-vous à la newsletter",
        "Newsletter",
        "Lire aussi",
        "Lire aussi :",
        f"Lire aussi{NBSP}: Inondations dans le Périgord, la préfecture ouvre une enquête",
        "À lire aussi",
        "A LIRE AUSSI",
        "Suivez-nous sur Facebook et Instagram",
        "Cet article est réservé aux abonnés",
        "Article réservé aux abonnés.",
        "Commentaires",
        "12 commentaires",
        "Imprimer",
        "Copier le lien",
        "Envoyer par e-mail",
        "Accepter les cookies",
        "  Partager  ",
    ],
)
def test_boilerplate_lines_are_removed_and_reported(line):
    cleaned = clean_text(
        f"Le conseil municipal s’est réuni.\n{line}\nLa séance a duré deux heures."
    )
    assert cleaned.text == "Le conseil municipal s’est réuni.\nLa séance a duré deux heures."
    assert cleaned.removed_lines == [line.strip()]


@pytest.mark.parametrize(
    "line",
    [
        "Le ministre a dit qu'il allait partager sa décision.",
        "Les lecteurs peuvent laisser un commentaire sous chaque article du site.",
        "La publicité pour les paris sportifs sera encadrée dès janvier.",
        "Elle a refusé de s’abonner au service de la mairie, jugé trop cher.",
        "Lire aussi les conclusions du rapport ne suffit pas, estime l’opposition.",
        "Newsletter municipale : le maire promet un numéro par mois.",
    ],
)
def test_sentences_that_merely_contain_boilerplate_words_stay(line):
    cleaned = clean_text(line)
    assert cleaned.text == line
    assert cleaned.removed_lines == []


def test_removed_lines_are_listed_in_order_and_leave_single_blank_lines():
    raw = (
        "Crue de la Vézère : Montignac évacué\n\nPartager\nTweeter\n\n"
        "Près de 1\u00a0200 habitants ont été évacués.\n\nPublicité\n\n"
        "La décrue est attendue samedi.\n\nLaisser un commentaire\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.text == (
        "Crue de la Vézère : Montignac évacué\n\n"
        "Près de 1\u00a0200 habitants ont été évacués.\n\n"
        "La décrue est attendue samedi."
    )
    assert cleaned.removed_lines == ["Partager", "Tweeter", "Publicité", "Laisser un commentaire"]


def test_empty_and_blank_input_give_empty_text():
    assert clean_text("").text == ""
    assert clean_text(" \r\n\t\n\u200b\n").text == ""


# Pieces that interact: line breaks of every kind, invisibles, decomposed accents, spaces
# that trim, and whole boilerplate words.
PIECES = [*"ab é\u0301\t\r\n\x00\u200b\ufeff\u00a0\u202f\u2028’«»—", "Partager", "Publicité"]
TRICKY = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(TRICKY)
def test_cleaning_is_idempotent_and_leaves_no_stray_whitespace(raw):
    text = clean_text(raw).text
    again = clean_text(text)
    assert again.text == text
    assert again.removed_lines == []
    assert "\r" not in text
    assert "\n\n\n" not in text
    assert not text.startswith("\n")
    assert not text.endswith("\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


def _boilerplate_by_line(line):
    """A line-by-line reading of the boilerplate rule, written apart from clean_text's
    whole-text one: each line's key, then the patterns over all of it."""
    import re
    import unicodedata

    from annotator.articles.cleaning import _BOILERPLATE

    if len(line) > 300:
        return False
    key = line.casefold()
    for apostrophe in "’‘ʼ":
        key = key.replace(apostrophe, "'")
    key = "".join(c for c in unicodedata.normalize("NFD", key) if not unicodedata.combining(c))
    key = re.sub(r"\s+", " ", key).strip().rstrip(" .,:;!?…*")
    return bool(key) and _BOILERPLATE.fullmatch(key) is not None


_PIECES = [
    "Publicité",
    "publicite",
    "À lire aussi",
    "Lire aussi :",
    " Le maire",
    "partager",
    "sur",
    " ",
    "\u00a0",
    "\t",
    ".",
    " :",
    "*",
    "!",
    "…",
    "Suivez-nous",
    "Facebook",
    "commentaires",
    "3 ",
    "Réagir",
    "à cet article",
    "Tout accepter",
    "é",
    "’",
    "x" * 299,
]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), max_size=12))
def test_the_whole_text_rule_drops_exactly_the_lines_a_line_by_line_reading_drops(lines):
    expected = [line.strip() for line in lines if _boilerplate_by_line(line.rstrip())]
    assert clean_text("\n".join(lines)).removed_lines == expected
