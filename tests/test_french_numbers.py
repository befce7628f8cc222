"""French casualty expressions read as the guidelines say (§3.3). Every example sentence here
is made up, about made-up events."""

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.french import numbers as french_numbers
from annotator.french.numbers import MAX_VALUE, Reading, parse_number, read_casualty

NBSP, NNBSP = "\u00a0", "\u202f"
KINDS = {"killed", "injured", "missing", "displaced", "affected", None}


def exact(n, kind=None):
    return Reading(min=n, max=n, precision="exact", kind=kind)


def approx(low, high, kind=None):
    return Reading(min=low, max=high, precision="approx", kind=kind)


def test_examples_in_docstrings_hold():
    assert doctest.testmod(french_numbers).failed == 0


# --- parse_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("1486", 1486),
        ("1 200", 1200),
        (f"1{NBSP}200", 1200),
        (f"1{NNBSP}200", 1200),
        ("1.200", 1200),
        ("4.318", 4318),
        ("7 000", 7000),
        ("12 500 000", 12_500_000),
        (f"2{NNBSP}350{NNBSP}000", 2_350_000),
        ("1.250.000", 1_250_000),
        ("3 millions", 3_000_000),
        ("3,5 millions", 3_500_000),
        ("1,5 million", 1_500_000),
        ("1,2 milliard", 1_200_000_000),
        ("40 mille", 40_000),
        (" 17 ", 17),
        ("2147483647", MAX_VALUE),
    ],
)
def test_digits_with_french_thousands_separators(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("zéro", 0),
        ("trois", 3),
        ("seize", 16),
        ("dix-sept", 17),
        ("dix sept", 17),
        ("cinquante-deux", 52),
        ("vingt et un", 21),
        ("vingt-et-un", 21),  # 1990 spelling
        ("trente et une", 31),
        ("soixante-dix", 70),
        ("soixante et onze", 71),
        ("soixante-dix-neuf", 79),
        ("quatre-vingts", 80),
        ("quatre-vingt-un", 81),
        ("quatre-vingt-onze", 91),
        ("quatre-vingt-dix-sept", 97),
        ("septante-trois", 73),
        ("septante et un", 71),
        ("huitante", 80),
        ("octante-huit", 88),
        ("nonante-neuf", 99),
        ("cent", 100),
        ("cent un", 101),
        ("deux cents", 200),
        ("deux-cent-quatre", 204),
        ("mille", 1000),
        ("mille deux cents", 1200),
        ("deux cent mille", 200_000),
        ("quatre-vingt mille", 80_000),
        ("trois millions", 3_000_000),
        ("deux cents millions", 200_000_000),
        ("un million deux cent mille", 1_200_000),
        ("un milliard", 1_000_000_000),
        ("Trois", 3),
        ("DIX-HUIT", 18),
        ("Quatre-Vingt-Douze", 92),
        (
            "deux milliards cent quarante-sept millions quatre cent quatre-vingt-trois mille "
            "six cent quarante-sept",
            MAX_VALUE,
        ),
    ],
)
def test_number_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "٣",  # Arabic-Indic three
        "３",  # fullwidth three
        "1٣",
        "٣٠٠ morts",
        "1.20",  # dots group by three
        "1.2345",
        "12 34",
        "1 2000",
        "1,5",  # not a whole number
        "3,5,2",
        "-4",
        "12e",
        "trois morts",
        "deux trois",
        "vingt et deux",
        "quatre-vingt et un",
        "cents",
        "un mille",
        "million",
        "douze, treize",
        "vingt'et un",
        "2147483648",  # beyond PostgreSQL integer
        "3 milliards",
        "9" * 5000,  # int() would refuse this many digits
        "1" + " 000" * 2000,
    ],
)
def test_anything_else_is_no_number(text):
    assert parse_number(text) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, MAX_VALUE), st.sampled_from([" ", NBSP, NNBSP, "."]))
def test_numbers_with_french_separators_read_back(n, separator):
    groups = f"{n:,}".split(",")
    text = separator.join(groups)
    assert parse_number(text) == n
    assert read_casualty(f"{text} blessés") == exact(n, "injured")


# An independent speller, for the round trip: 1986 ("traditional") and 1990 ("rectified")
# spellings, Belgian septante / nonante and Swiss septante / huitante / nonante.
UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize".split()
)
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
REGIONAL = {"belgian": {7: "septante", 9: "nonante"}}
REGIONAL["swiss"] = {7: "septante", 8: "huitante", 9: "nonante"}


def spell_below_100(n, style, plural):
    link = "-" if style == "rectified" else " "
    if n < 17:
        return UNITS[n]
    if n < 20:
        return f"dix-{UNITS[n - 10]}"
    tens, units = divmod(n, 10)
    if tens in REGIONAL.get(style, {}):
        base, rest = REGIONAL[style][tens], units
    elif tens in (7, 9):
        base, rest = ("soixante" if tens == 7 else "quatre-vingt"), units + 10
    elif tens == 8:
        base, rest = "quatre-vingt", units
    else:
        base, rest = TENS[tens], units
    if rest == 0:
        return base + ("s" if base == "quatre-vingt" and plural else "")
    if base != "quatre-vingt" and (rest == 1 or (rest == 11 and base == "soixante")):
        return f"{base}{link}et{link}{UNITS[rest]}"
    return f"{base}-{spell_below_100(rest, style, plural)}"


def spell_below_1000(n, style, plural):
    link = "-" if style == "rectified" else " "
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds == 1:
        parts.append("cent")
    elif hundreds:
        parts.append(f"{UNITS[hundreds]}{link}cent" + ("s" if plural and not rest else ""))
    if rest:
        parts.append(spell_below_100(rest, style, plural))
    return link.join(parts)


def number_to_words(n, style="traditional"):
    """French words for n; vingt and cent take an s when last, or before million(s)."""
    if n == 0:
        return "zéro"
    link = "-" if style == "rectified" else " "
    billions, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    thousands, units = divmod(rest, 1000)
    nouns = []  # million and milliard are nouns: spaces around them in every spelling
    for count, noun in ((billions, "milliard"), (millions, "million")):
        if count:
            nouns.append(f"{spell_below_1000(count, style, True)} {noun}{'s' * (count > 1)}")
    numerals = []
    if thousands:
        numerals.append(
            "mille" if thousands == 1 else f"{spell_below_1000(thousands, style, False)}{link}mille"
        )
    if units:
        numerals.append(spell_below_1000(units, style, True))
    return " ".join([*nouns, link.join(numerals)]).strip()


def test_the_speller_spells_as_french_does():
    # The speller is checked too: a wrong one would test nothing.
    assert number_to_words(80) == "quatre-vingts"
    assert number_to_words(80_000) == "quatre-vingt mille"
    assert number_to_words(71) == "soixante et onze"
    assert number_to_words(71, "rectified") == "soixante-et-onze"
    assert number_to_words(91) == "quatre-vingt-onze"
    assert number_to_words(200_000_000) == "deux cents millions"
    assert number_to_words(201_200) == "deux cent un mille deux cents"
    assert number_to_words(1_001_021, "rectified") == "un million mille-vingt-et-un"
    assert number_to_words(97, "belgian") == "nonante-sept"
    assert number_to_words(81, "swiss") == "huitante et un"


STYLES = st.sampled_from(["traditional", "rectified", "belgian", "swiss"])
CASES = st.sampled_from([str, str.upper, str.capitalize])


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 999_999), STYLES, CASES)
def test_spelled_numbers_read_back(n, style, case):
    assert parse_number(case(number_to_words(n, style))) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(1_000_000, MAX_VALUE), STYLES)
def test_spelled_millions_and_milliards_read_back(n, style):
    assert parse_number(number_to_words(n, style)) == n


# --- read_casualty: quantities ------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("487 habitants", exact(487)),
        ("1 200 déplacés", exact(1200, "displaced")),
        (f"1{NBSP}200 déplacés", exact(1200, "displaced")),
        (f"1{NNBSP}200 déplacés", exact(1200, "displaced")),
        ("1.200 déplacés", exact(1200, "displaced")),
        ("3,5 millions de sinistrés", exact(3_500_000, "affected")),
        ("trois morts", exact(3, "killed")),
        ("Trois morts", exact(3, "killed")),
        ("sept cent quarante blessés", exact(740, "injured")),
        ("vingt-et-une victimes", exact(21, "affected")),
        ("quatre autres victimes", exact(4, "affected")),
        ("un mort", exact(1, "killed")),
        ("une victime", exact(1, "affected")),
        ("Un blessé", exact(1, "injured")),
        ("aucun mort", exact(0, "killed")),
        ("Aucune victime", exact(0, "affected")),
        ("nul", exact(0)),
    ],
)
def test_a_bare_number_is_exact(span, expected):
    assert read_casualty(span) == expected


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("une dizaine de blessés", approx(10, 10, "injured")),
        ("une vingtaine", approx(20, 20)),
        ("une centaine", approx(100, 100)),
        ("une cinquantaine de disparus", approx(50, 50, "missing")),
        ("Une quinzaine de morts", approx(15, 15, "killed")),
        ("un millier de réfugiés", approx(1000, 1000, "displaced")),
        ("deux centaines de sinistrés", approx(200, 200, "affected")),
        ("une centaine de milliers de déplacés", approx(100_000, 100_000, "displaced")),
    ],
)
def test_a_round_figure_is_approx(span, expected):
    assert read_casualty(span) == expected


@pytest.mark.parametrize(
    ("span", "low", "high"),
    [
        ("plusieurs centaines", 200, 999),
        ("quelques centaines", 200, 999),
        ("des centaines", 200, 999),
        ("Des dizaines", 20, 99),
        ("plusieurs dizaines", 20, 99),
        ("des milliers", 2000, 9999),
        ("quelques milliers", 2000, 9999),
        ("milliers", 2000, 9999),
        ("des dizaines de milliers", 20_000, 99_999),
        ("plusieurs centaines de milliers", 200_000, 999_999),
        ("des millions", 2_000_000, 9_999_999),
        ("des centaines de millions", 200_000_000, 999_999_999),
    ],
)
def test_vague_numeral_nouns_span_their_order_of_magnitude(span, low, high):
    assert read_casualty(span) == approx(low, high)
    assert read_casualty(f"{span} de civils") == approx(low, high)
    assert read_casualty(f"{span} de blessés") == approx(low, high, "injured")


def test_vague_counts_beyond_postgresql_integers_are_refused():
    assert read_casualty("des milliards de sinistrés") is None
    assert read_casualty("3 milliards de sinistrés") is None


@pytest.mark.parametrize("span", ["plusieurs", "Quelques", "plusieurs blessés", "quelques morts"])
def test_bare_plusieurs_or_quelques_is_two_or_more(span):
    assert read_casualty(span).min == 2
    assert read_casualty(span).max is None
    assert read_casualty(span).precision == "approx"


@pytest.mark.parametrize(
    ("span", "low", "high"),
    [
        ("au moins 17", 17, None),
        ("Au moins une passagère", 1, None),
        ("plus de 200", 200, None),
        ("plus d'une centaine", 100, None),
        ("plus d’un millier", 1000, None),
        ("pas moins de 40", 40, None),
        ("Pas moins de quarante", 40, None),
        ("pas moins d’une dizaine", 10, None),
        ("au moins plusieurs centaines", 200, None),
        ("moins de 30", None, 30),
        ("moins d'une vingtaine", None, 20),
        ("jusqu'à 30", None, 30),
        ("jusqu’à 30", None, 30),  # curly apostrophe
        ("jusqu\u02bcà 30", None, 30),  # modifier letter apostrophe
        ("Jusqu'à trois cents", None, 300),
        ("entre 30 et 40", 30, 40),
        ("entre trente et quarante", 30, 40),
        ("entre trente et un et quarante", 31, 40),
        ("entre environ 30 et près de 40", 30, 40),  # hedges on a bound are ignored
        ("entre au moins 30 et au plus 40", 30, 40),
        ("entre 3 000 et 5 000", 3000, 5000),
        ("de 15 à 25", 15, 25),
        ("40 à 45", 40, 45),
        ("deux ou trois", 2, 3),
        ("près de 50", 50, 50),
        ("près d'un millier", 1000, 1000),
        ("environ 50", 50, 50),
        ("Environ cinquante", 50, 50),
        ("quelque 50", 50, 50),
        ("quelques 50", 50, 50),
    ],
)
def test_bounds_hedges_and_ranges_are_approx(span, low, high):
    assert read_casualty(f"{span} blessés") == approx(low, high, "injured")
    assert read_casualty(span) == approx(low, high)


@pytest.mark.parametrize(
    ("span", "low", "high"),
    [
        ("à peu près 40", 40, 40),
        ("approximativement 60", 60, 60),
        ("au minimum 5", 5, None),
        ("au plus 40", None, 40),
        ("au maximum quarante", None, 40),
    ],
)
def test_a_few_synonyms_the_guidelines_do_not_list_read_alike(span, low, high):
    assert read_casualty(f"{span} morts") == approx(low, high, "killed")


@pytest.mark.parametrize(
    "span",
    [
        "",
        "   ",
        "blessés",
        "des blessés",
        "les victimes",
        "la victime",
        "de nombreux blessés",
        "beaucoup de morts",
        "٣ morts",
        "３ morts",
        "٣٠٠ blessés",
        "1٣ morts",
        "1.20 morts",
        "3e victime",
        "1,5 blessé",
    ],
)
def test_no_quantity_no_reading(span):
    assert read_casualty(span) is None


def test_determiners_and_dont_before_the_quantity_are_skipped():
    assert read_casualty("les 5 pilotes") == exact(5)
    assert read_casualty("dont trois blessés") == exact(3, "injured")


# --- read_casualty: kinds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("noun", "kind"),
    [
        ("morts", "killed"),
        ("mortes", "killed"),
        ("tués", "killed"),
        ("tuées", "killed"),
        ("décès", "killed"),
        ("décédés", "killed"),
        ("fusillés", "killed"),
        ("abattus", "killed"),
        ("blessé", "injured"),
        ("blessée", "injured"),
        ("blessés", "injured"),
        ("blessées", "injured"),
        ("disparus", "missing"),
        ("disparues", "missing"),
        ("réfugiés", "displaced"),
        ("déplacés", "displaced"),
        ("évacués", "displaced"),
        ("sans-abri", "displaced"),
        ("victimes", "affected"),
        ("sinistrés", "affected"),
        ("sinistrées", "affected"),
        ("habitants", None),
        ("personnes", None),
    ],
)
def test_the_head_noun_gives_the_kind(noun, kind):
    assert read_casualty(f"14 {noun}") == exact(14, kind)
    assert read_casualty(f"14 {noun.upper()}").kind == kind


@pytest.mark.parametrize(
    ("span", "sentence", "kind"),
    [
        (
            "Onze personnes",
            "Onze personnes ont trouvé la mort dans le glissement de terrain.",
            "killed",
        ),
        ("Onze personnes", "Onze personnes ont péri dans le glissement de terrain.", "killed"),
        ("Onze personnes", "Onze personnes ont perdu la vie lors du glissement.", "killed"),
        ("Onze personnes", "Onze personnes sont décédées à l'hôpital de Rodez.", "killed"),
        (
            "deux gardes",
            "Selon le parquet, deux gardes ont été abattus devant la banque.",
            "killed",
        ),
        ("Quatre victimes", "Quatre victimes ont été grièvement blessées par le toit.", "injured"),
        ("trois victimes", "Le séisme a fait trois victimes décédées avant l'aube.", "killed"),
        ("huit randonneurs", "Hier soir, huit randonneurs étaient portés disparus.", "missing"),
        ("900 habitants", "900 habitants ont été évacués avant la crue.", "displaced"),
        ("3 000 villageois", "3 000 villageois se sont réfugiés dans les collines.", "displaced"),
        ("Quarante marins", "Quarante marins auraient été victimes de la tempête.", "affected"),
    ],
)
def test_the_predicate_after_the_span_wins(span, sentence, kind):
    assert read_casualty(span, sentence).kind == kind


def test_each_count_keeps_its_own_predicate_in_a_coordination():
    sentence = "Cinq morts et onze blessés ont été recensés après la collision."
    assert read_casualty("Cinq morts", sentence) == exact(5, "killed")
    assert read_casualty("onze blessés", sentence) == exact(11, "injured")
    sentence = "Neuf personnes sont mortes et 23 ont été blessées dans l'éboulement."
    assert read_casualty("Neuf personnes", sentence).kind == "killed"
    assert read_casualty("23", sentence) == exact(23, "injured")
    sentence = "Trois marins sont morts, et une dizaine d'autres blessés."
    assert read_casualty("une dizaine", sentence) == approx(10, 10, "injured")


def test_et_inside_the_predicate_does_not_end_it():
    sentence = "Trois pompiers ont hélas et tragiquement péri dans les flammes."
    assert read_casualty("Trois pompiers", sentence).kind == "killed"


def test_the_predicate_is_looked_for_a_few_words_after_the_span():
    sentence = "Sept randonneurs partis de Gavarnie à 6 h 30 ce matin sont morts."
    assert read_casualty("Sept randonneurs", sentence).kind == "killed"
    far = "Sept randonneurs partis de Gavarnie très tôt à 6 h 30 ce matin en groupe sont morts."
    assert read_casualty("Sept randonneurs", far).kind is None


def test_wounded_taken_to_hospital_stay_wounded():
    sentence = "Trois blessés ont été évacués vers l'hôpital de Brive."
    assert read_casualty("Trois blessés", sentence).kind == "injured"
    sentence = "Trois victimes ont été évacuées par hélicoptère."
    assert read_casualty("Trois victimes", sentence).kind == "displaced"


def test_an_active_verb_before_the_count_gives_the_kind():
    sentence = "L'explosion de la mine tue 14 ouvriers et en blesse 6 autres."
    assert read_casualty("14 ouvriers", sentence).kind == "killed"
    assert read_casualty("6", sentence) == exact(6, "injured")
    sentence = "Le glissement a tué au moins neuf villageois, tuant aussi leur bétail."
    assert read_casualty("au moins neuf villageois", sentence) == approx(9, None, "killed")


def test_a_subset_after_dont_takes_the_kind_of_its_total():
    sentence = "Le car transportait 40 blessés, dont 3 grièvement."
    assert read_casualty("3", sentence) == exact(3, "injured")
    sentence = "L'accident a fait 9 morts, dont les 2 pilotes."
    assert read_casualty("2 pilotes", sentence) == exact(2, "killed")


def test_nul_reads_its_kind_from_the_predicate():
    assert read_casualty("Nul", "Nul n'a été blessé pendant l'évacuation.") == exact(0, "injured")


def test_an_estimate_is_approx():
    sentence = "Les pertes du régiment sont estimées à 300 morts."
    assert read_casualty("300 morts", sentence) == approx(300, 300, "killed")
    sentence = "Le nombre de sans-abri est évalué à 1 500 par la mairie."
    assert read_casualty("1 500", sentence).precision == "approx"


# --- read_casualty: elided multipliers and positions -----------------------------------------


def test_an_elided_multiplier_comes_from_the_total():
    sentence = "Les crues laissent 3 millions de sinistrés, dont 2 sur la côte."
    assert read_casualty("2", sentence) == exact(2_000_000, "affected")
    sentence = "Les crues laissent 3 millions de sinistrés, dont 1,5 sur la côte."
    assert read_casualty("1,5", sentence) == exact(1_500_000, "affected")
    sentence = "La guerre a jeté sur les routes trois millions de déplacés, dont deux au nord."
    assert read_casualty("deux", sentence) == exact(2_000_000, "displaced")
    sentence = "Le cyclone a fait 2 millions de déplacés, dont environ 1 dans l'île."
    assert read_casualty("environ 1", sentence) == approx(1_000_000, 1_000_000, "displaced")


def test_a_subset_that_says_its_own_size_keeps_it():
    sentence = "Les crues laissent 3 millions de sinistrés, dont 300 dans la capitale."
    assert read_casualty("300", sentence) == exact(300, "affected")
    sentence = "Les crues laissent 3 millions de sinistrés, dont 2 enfants sur le toit."
    assert read_casualty("2 enfants", sentence) == exact(2, "affected")
    sentence = "Les crues laissent 3 000 sinistrés, dont 2 sur la côte."
    assert read_casualty("2", sentence) == exact(2, "affected")


def test_the_position_says_which_occurrence_is_meant():
    sentence = "Deux morts à Lyon, deux blessés à Vienne."
    second = sentence.index("deux blessés")
    assert read_casualty("deux", sentence, second).kind == "injured"
    assert read_casualty("Deux", sentence, 0).kind == "killed"
    # Without a position, or with a wrong one, the first occurrence is read.
    assert read_casualty("Deux", sentence).kind == "killed"
    assert read_casualty("Deux", sentence, 7).kind == "killed"


def test_a_sentence_without_the_span_is_no_context():
    assert read_casualty("12 personnes", "Un autre texte où 7 personnes ont été tuées.") == exact(
        12
    )


# --- Robustness ---------------------------------------------------------------------------


def assert_sound(reading):
    if reading is None:
        return
    for value in (reading.min, reading.max):
        assert value is None or (type(value) is int and 0 <= value <= MAX_VALUE)
    if reading.min is not None and reading.max is not None:
        assert reading.min <= reading.max
    assert reading.precision in ("exact", "approx")
    assert reading.kind in KINDS


@settings(max_examples=500, deadline=None)
@given(st.text(), st.text(), st.none() | st.integers(-5, 60))
def test_any_text_reads_soundly_or_not_at_all(span, sentence, at):
    assert_sound(read_casualty(span, sentence, at))
    assert_sound(read_casualty(span, span + sentence))
    number = parse_number(span)
    assert number is None or (type(number) is int and 0 <= number <= MAX_VALUE)


PIECES = [
    *"un une deux trois quatre dix sept vingt et cent cents mille million millions".split(),
    *"milliard milliards".split(),
    *"soixante quatre-vingts plus de d’ moins au entre à ou jusqu' près environ quelque".split(),
    *"quelques plusieurs des dizaine dizaines centaines milliers aucun nul morts blessées".split(),
    *"victimes dont les estimé tue sans-abri ont été".split(),
    *["1", "200", "999", "1 000", "2,5", "3.000", "1.2", "٣", "３", "2147483648", "9" * 30],
    *[",", ".", "-", "’", "'", "(", NBSP, NNBSP, " ", " ", " "],
]
french_like = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
french_like_spaced = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(french_like | french_like_spaced, french_like | french_like_spaced)
def test_french_like_text_reads_soundly_or_not_at_all(span, rest):
    assert_sound(read_casualty(span))
    assert_sound(read_casualty(span, f"{rest} {span} {rest}"))
    number = parse_number(span)
    assert number is None or 0 <= number <= MAX_VALUE


LONG_INPUTS = {
    "number words": "vingt et " * 10_000,
    "de before a count": "de " * 30_000 + "3 morts",
    "bounds": "plus de " * 15_000 + "3",
    "ranges": "entre 1 et " * 10_000,
    "groups of digits": "1 000 " * 10_000,
    "dotted groups": "1.000." * 10_000,
    "kind words": "morts et blessés " * 6_000,
    "groups glued": "1" + " 000" * 30_000,
    "non-ASCII digits": "٣" * 100_000,
}


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_long_inputs_are_read_soundly(text):
    # Every rule looks a few tokens ahead, so these finish at once; a quadratic slip would
    # hold the suite for minutes (no clock here: the suite's own time shows it).
    number = parse_number(text)
    assert number is None or 0 <= number <= MAX_VALUE
    assert_sound(read_casualty(text))
    assert read_casualty("3 morts", text + " 3 morts " + text) == Reading(3, 3, "exact", "killed")
