"""The words of casualty figures, by the annotation guidelines (§3.2, §3.3): what bounds or
hedges a count, what names its kind, where the clause about it ends.

Plain data, lower-cased, accents as written; read by annotator.french.numbers, and kept
apart so that a suggester looking for candidates uses the same words.
"""

from typing import Literal

Kind = Literal["killed", "injured", "missing", "displaced", "affected"]

# --- Quantities ---------------------------------------------------------------------------

# "une dizaine", "deux centaines", "un millier": a round figure, so approx (§3.3).
ROUND = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30}
ROUND |= {"quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}
ROUND |= {"millier": 1000}
ROUND |= {word + "s": value for word, value in ROUND.items()}
# "plusieurs / quelques / des centaines" -> 200 to 999: from twice the unit to just below ten
# times it (§3.3: dizaines 20–99, milliers 2 000–9 999).
VAGUE_UNITS = {"dizaines": 10, "centaines": 100, "milliers": 1000}
VAGUE_UNITS |= {"millions": 10**6, "milliards": 10**9}
# "… de milliers", "… de millions": what a round or vague count is counted in.
MULTIPLIERS = {"milliers": 1000, "millions": 10**6, "milliards": 10**9}
ZERO = frozenset({"aucun", "aucune", "nul", "nulle"})

# Words before the quantity, which the span includes (§3.2), as tokens ("d’une" is "d",
# "une"). Longest first where one begins another.
LOWER = [("pas", "moins", "de"), ("pas", "moins", "d"), ("au", "moins"), ("au", "minimum")]
LOWER += [("plus", "de"), ("plus", "d")]
UPPER = [("moins", "de"), ("moins", "d"), ("jusqu", "à"), ("au", "plus"), ("au", "maximum")]
HEDGES = [("à", "peu", "près"), ("près", "de"), ("près", "d"), ("environ",)]
HEDGES += [("approximativement",)]
# Outside the span (§3.2), but an analyst's selection takes them in now and then.
SKIPPED = frozenset({"les", "ces", "ses", "leurs", "dont", "seulement"})

# --- Kinds --------------------------------------------------------------------------------


def _inflected(*stems: str) -> set[str]:
    """Past participles in all genders and numbers: "bless" -> blessé, blessée, blessés…"""
    return {stem + ending for stem in stems for ending in ("é", "ée", "és", "ées")}


def _agreeing(*words: str) -> set[str]:
    return {word + ending for word in words for ending in ("", "e", "s", "es")}


_KIND_WORDS: list[tuple[set[str], Kind]] = [
    (
        _inflected("tu", "décéd", "fusill", "massacr", "assassin", "noy")
        | _agreeing("mort", "abattu")
        | {"décès", "péri", "succombé"},
        "killed",
    ),
    (_inflected("bless"), "injured"),
    (_agreeing("disparu"), "missing"),
    (_inflected("réfugi", "déplac", "évacu"), "displaced"),
    (_inflected("sinistr") | {"victime", "victimes"}, "affected"),
]
KINDS = {word: kind for words, kind in _KIND_WORDS for word in words}
# "ont trouvé la mort" is read by "mort".
KIND_PHRASES: list[tuple[tuple[str, ...], Kind]] = [
    (("perdu", "la", "vie"), "killed"),
    (("entre", "la", "vie", "et", "la", "mort"), "injured"),  # critically injured
    (("sans", "abri"), "displaced"),
    (("sans", "abris"), "displaced"),
]
# An active verb right before the count: "l'explosion tue 9 mineurs", "en blesse 4 autres".
_VERB_STEMS: list[tuple[str, Kind]] = [("tu", "killed"), ("bless", "injured")]
VERBS = {
    stem + ending: kind
    for stem, kind in _VERB_STEMS
    for ending in ("e", "ent", "ait", "aient", "a", "èrent", "ant", "é", "era", "eront")
}

# --- Clauses ------------------------------------------------------------------------------

# The clause about a count ends at these; "et" or "ou" ends it when another count or noun
# phrase follows ("cinq morts et onze blessés"), not otherwise ("ont hélas et tragiquement péri").
STOP_PUNCT = frozenset(',;:.!?()[]«»"“”—–…')
STOP_WORDS = frozenset({"dont", "mais", "tandis", "alors", "lorsque", "lorsqu", "quand", "puis"})
NOUN_PHRASE_STARTS = frozenset({"plusieurs", "quelques", "nombreux", "nombreuses"})
NOUN_PHRASE_STARTS |= {"le", "la", "les", "l", "des", "de", "d", "du", "ces", "ses", "leurs"}
# How far after the span a predicate is looked for, in tokens: "Sept randonneurs partis de
# Gavarnie à 6 h 30 ce matin sont morts" needs eleven.
WINDOW = 12
