"""Split French news text into sentences, as character spans.

Rules of French typography, not a model: one regex pass finds every line break and every
run of sentence-final marks (. ! ? …) with the quotes or brackets that close it; a few rules
on the word before and the token after decide whether that run ends a sentence.
"""

import re

# Line breaks always end a segment (headlines and captions carry no full stop).
# These are the characters str.splitlines() breaks on.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SPACE = rf"[^\S{_BREAKS}]"  # whitespace within a line: space, tab, U+00A0, U+202F...

_CANDIDATE = re.compile(
    rf"(?P<br>[{_BREAKS}])"
    # Final marks, then closers: » ” ) ] may follow a (no-break) space, as French typography
    # puts them; straight quotes and ’ only when glued, as after a space they may open.
    rf"|(?P<marks>[.!?…]+|;)(?P<closers>(?:{_SPACE}*[»”)\]]|[\"'’])*)(?=\s|\Z)"
)

# What follows a candidate: spaces, opening quotes, brackets or dialogue dashes, then the
# first character of the next token.
_NEXT = re.compile(rf"{_SPACE}*(?P<open>(?:[«\"“‘(\[—–-]{_SPACE}*)*)(?P<char>.?)", re.DOTALL)
_SPACED_QUOTE = re.compile(rf'{_SPACE}+"(?=\s|\Z)')

# Marks that carry the sentence on after a final mark: "etc., puis", "(sic !) ;".
_CONTINUES = frozenset(",;:.!?…)]»”")

# Abbreviations after which a full stop never ends a sentence: titles before a name
# (M. Durand, MM. Roux et Blanc) and words that always announce what follows (cf., env.).
_NEVER_FINAL = frozenset(
    """
    M MM Mme Mmes Mlle Mlles Mgr Me Dr Drs Pr St Ste Sts Stes Mr Mrs Sté Ets
    Gal Gén Cdt Col Lt Sgt Cne Adj
    p pp chap cf env ex av apr éd coll trad resp approx c.-à-d vs bd boul fg pl rte imp Vve
    tél rens dép dépt
    """.split()
)

# Abbreviations that stand before a number (art. 3, vol. II, le 5 janv. 2024): the same
# letters are also words that can end a sentence ("un vol. Le pilote", "Ils étaient sept.").
_BEFORE_NUMBER = frozenset(
    "art vol t n no nos fig tab al janv févr fév avr juil sept oct nov déc".split()
)
_NUMBER = re.compile(r"\d|[IVXLCDM]+(?![\w'’-])")

# Initials: "F." "J.-L." "Ph." (a capital, maybe an h, and a full stop).
_INITIALS = re.compile(r"(?:[A-ZÀ-ÖØ-Þ]h?\.-?)*[A-ZÀ-ÖØ-Þ]h?")
_OPENERS = "«\"“‘([{—–-'’"

# Words that start sentences and are nobody's surname: after "Dagobert I." or "Mac OS X."
# they show that the capital was not an initial. "J.-M. Le Pen": a capital after "Le" means
# a name particle.
_STARTERS = frozenset(
    """
    Il Ils Elle Elles On Je Nous Vous Le La Les Un Une Des De Du Ce Cet Cette Ces Cela
    Ça Son Sa Ses Leur Leurs Mon Ma Mes Notre Nos Votre Vos Tout Tous Toute Toutes Chaque
    Qui Que Quel Quelle Où Pourquoi Comment Mais Et Or Donc Puis Ni Si Quand Comme
    En Dans Pour Par Sur Sous Au Aux Avec Sans Selon Lors Après Avant Depuis Pendant Malgré
    Cependant Toutefois Pourtant Ainsi Enfin Alors Ensuite Aussi À
    """.split()
)
# Words a sentence cannot end on: an ellipsis after them is a pause ("et… les autres").
_DANGLING = frozenset(
    """
    et ou ni mais car de d du des le la les l un une au aux à en par pour avec sans sur sous
    dans chez vers entre que qu qui dont ce cet cette ces son sa ses leur leurs mon ma mes
    notre nos votre vos très plus
    """.split()
)
_ELIDED_STARTERS = frozenset("C L J S N Qu Lorsqu Puisqu Jusqu Aujourd".split())
# A word, then either an apostrophe (C'est) or the first letter of the next word.
_NEXT_WORDS = re.compile(r"(\w+)(?:(['’])|\s+(\w?))?")
_WHOLE_WORD_ENDINGS = frozenset("aeiouyéèêëàâîïôöûùüœ0123456789")
# The last word before a position; "^" only matches at the real start of the text.
_WORD_BEFORE = re.compile(rf"(?:^|[{_BREAKS}]|(\S+)){_SPACE}*\Z")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of ``text``, in order.

    Spans are stripped of whitespace, never contain a line break, and together cover
    every non-blank character.

    >>> text = "M. Durand est parti. « Je reviens ! » dit-il.\\nMétéo"
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['M. Durand est parti.', '« Je reviens ! » dit-il.', 'Météo']
    """
    cuts = []  # (end of a segment, start of the next one)
    quotes_upto = quotes = 0  # straight quotes seen on the line, up to quotes_upto
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if match.lastgroup == "br":
            cuts.append((match.start(), end))
            quotes_upto = end
            quotes = 0
            continue
        if end == len(text) or text[end] in _BREAKS:
            continue  # the end of a line or of the text: cut there anyway (most paragraphs)
        spaced = _SPACED_QUOTE.match(text, end)
        if spaced:
            # A straight quote after a space closes one if the line so far has opened one.
            quotes += text.count('"', quotes_upto, end)
            quotes_upto = end
            if quotes % 2:
                end = spaced.end()
        if _ends_sentence(text, match, end):
            cuts.append((end, end))
    cuts.append((len(text), len(text)))

    spans = []
    start = 0
    for end, next_start in cuts:
        stripped = text[start:end].lstrip()
        if stripped:
            s = end - len(stripped)
            spans.append((s, s + len(stripped.rstrip())))
        start = next_start
    return spans


def _ends_sentence(text: str, match: re.Match[str], end: int) -> bool:
    """Whether the final marks of ``match``, closed up to ``end``, end a sentence."""
    following = _NEXT.match(text, end)
    assert following is not None  # every part of _NEXT is optional: it always matches
    char = following["char"]
    if not char or char in _BREAKS:
        return False  # end of text or of the line: it is cut there anyway
    at = following.start("char")
    marks = match["marks"]
    if marks == ";":
        # No capital after a semicolon, save for names: "; Les tests" starts a new sentence.
        return _starts_sentence(text, at)
    if char in _CONTINUES:
        # "(…) Les pourparlers" opens with an elision mark, "etc., puis" carries on.
        return bool(following["open"]) and char in ".…"
    mark = match.start()
    if marks[0] in "…." and marks != "." and _word_before(text, mark).lower() in _DANGLING:
        return False  # "et… Les autres" is a pause: no sentence ends on "et"
    if marks != "." or match["closers"].strip() or end > match.end():
        # ! ? ?! … "...", or a quote or bracket closed the sentence: a lower-case word goes
        # on with it (« Je pars. » dit-il / Il hésite… puis part), a capital starts the
        # next one, except after the elisions (…) […].
        return not char.islower() and (mark == 0 or text[mark - 1] not in "([")
    words = text[max(0, mark - 40) : mark].rsplit(None, 1)
    word = words[-1].lstrip(_OPENERS) if words and not text[mark - 1].isspace() else ""
    low = word[:1].lower() + word[1:] if len(word) > 1 else word  # Cf. Art. (not N. Dupont)
    if word in _NEVER_FINAL or low in _NEVER_FINAL:
        return False
    if word in _BEFORE_NUMBER or low in _BEFORE_NUMBER:
        return char.isupper() and not _NUMBER.match(text, at)
    if _INITIALS.fullmatch(word):
        if word == "J.-C":  # av. J.-C. is a date, which can end a sentence
            return char.isupper() and _word_before(text, mark - len(word)) in ("av.", "apr.")
        # F. Hollande, J. de Villepin, unless the next word is no one's name (Louis I. Il).
        return _starts_sentence(text, at)
    if word.isdigit() and _word_before(text, mark - len(word)) == "":
        return False  # a numbered item at the start of a line: "1. Le contexte"
    if char.islower():
        # Abbreviations cut a word before a vowel (env., hab., suiv.), so a word that ends in
        # a vowel or a digit is whole, and its full stop ends a sentence whose capital is lost.
        return "." not in word and word[-1:].lower() in _WHOLE_WORD_ENDINGS
    return True


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at text[at] can only be the first word of a sentence."""
    found = _NEXT_WORDS.match(text, at)
    if not found:
        return False
    if found[2]:
        return found[1] in _ELIDED_STARTERS
    return found[1] in _STARTERS and not (found[3] or "a").isupper()


def _word_before(text: str, start: int) -> str:
    """The word before text[start]: "" at the start of a line, "?" if out of sight."""
    found = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return "?" if found is None else found[1] or ""
