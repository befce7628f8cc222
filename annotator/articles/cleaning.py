"""Normalise extracted article text before it is stored and annotated.

Annotations are character offsets into the stored text, so cleaning happens once, before
storage, and only changes what carries no meaning: line endings, invisible characters,
trailing spaces, runs of blank lines and the web furniture ("Partager", "Publicité"...)
that copying a page from a French news site drags along. Typography is kept exactly as
written: ’ « » — … and the (narrow) no-break spaces of "1 200" or "oui !".
"""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Cleaned:
    text: str  # the text to store
    removed_lines: list[str]  # boilerplate lines dropped, in order (stripped)


# Every way a line can end becomes "\n". Vertical tab, form feed (a page break in old exports)
# and NEL end lines too rather than vanishing, so the words on either side stay apart.
LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Control characters (C0 and C1) other than \n and \t, and invisible characters that would
# sit inside words without being seen: zero-width space, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff]")
_BLANK_RUNS = re.compile(r"\n{3,}")

# Boilerplate, matched against the whole line once lowercased, stripped of accents and
# trailing punctuation, with ’ read as ' and runs of spaces (no-break too) as one space:
# see _key(). Written accent-free for that reason. A line that merely contains these words
# inside a sentence never matches, as every pattern must cover the whole line.
# One alternation, matched once per line: a page of 20,000 short lines is 20,000 matches,
# not 300,000.
_BOILERPLATE = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
            # Advertising slots.
            r"publicite|annonce publicitaire",
            # Comment sections, WordPress style included.
            r"laisser un commentaire|(\d+ )?commentaires?|reagir( a cet article)?",
            r"votre adresse (e-?mail|email|de messagerie|courriel) ne sera pas publiee"
            r"(\. les champs obligatoires sont indiques avec)?",  # the "*" goes with punctuation
            r"les champs obligatoires sont indiques avec",
            # Share bars: one line per network or action.
            r"partager( (cet|l') article)?( (sur|via|par) [\w -]{1,20})?|tweeter",
            r"facebook|twitter|linkedin|whatsapp|bluesky|pinterest|messenger",
            r"imprimer( (cet|l') article)?|copier le lien|lien copie|envoyer par e-?mail",
            # Subscription prompts and paywall notices.
            r"(abonnez-vous|s'abonner|inscrivez-vous|s'inscrire)"
            r"( gratuitement)?( (a|a la|a notre|aux) newsletters?( gratuite)?)?",
            r"newsletters?|recevez (notre|la) newsletter",
            r"(cet )?article (est )?reserve aux abonnes|la suite est reservee aux abonnes",
            # Related links: "Lire aussi" alone or followed by the linked title on the same line.
            r"(a )?(lire|voir) (aussi|egalement)( ?:.*)?|sur le meme sujet",
            r"suivez-nous( sur .{1,80})?",
            # Cookie banners.
            r"(tout )?accepter( (les|tous les) cookies| et fermer)?|(tout )?refuser( les cookies)?",
            r"(parametrer|gerer) (les|mes) cookies",
        )
    )
)
# A line as the patterns see it, matched in the whole text at once (C speed, where a
# Python call per line made a page of 20,000 short lines cost a third of a second): the
# pattern must end on a character that is not trailing punctuation, so that it covers
# exactly the line less its leading space and its trailing punctuation.
_TRAILING_PUNCTUATION = " .,:;!?…*"
_BOILERPLATE_LINE = re.compile(
    rf"^ ?(?:{_BOILERPLATE.pattern})(?<![{re.escape(_TRAILING_PUNCTUATION)}])"
    rf"[{re.escape(_TRAILING_PUNCTUATION)}]*$",
    re.MULTILINE,
)
_SPACES_IN_LINES = re.compile(r"[^\S\n]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Boilerplate lines are short ("Lire aussi : <a headline>" is the longest kind).
_LONGEST_BOILERPLATE = 300


def clean_text(raw: str) -> Cleaned:
    """Clean `raw` for storage; boilerplate lines are dropped only when a whole line matches.

    >>> clean_text("Publicité\\r\\n\\r\\nLe\\u00a0maire parle.  \\r\\n\\r\\n\\r\\nFin").text
    'Le\\xa0maire parle.\\n\\nFin'
    """
    text = LINE_BREAKS.sub("\n", raw)
    # Drop invisibles before composing, so "e\u200b\u0301" still becomes "é".
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    boilerplate = _boilerplate_lines(text)
    kept, removed = [], []
    for number, line in enumerate(text.split("\n")):
        line = line.rstrip()  # str.rstrip() counts no-break spaces as whitespace too
        if number in boilerplate and len(line) <= _LONGEST_BOILERPLATE:
            removed.append(line.strip())
        else:
            kept.append(line)
    text = _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip("\n")
    return Cleaned(text=text, removed_lines=removed)


def _boilerplate_lines(text: str) -> set[int]:
    """The numbers of the lines that are boilerplate, each read as "À lire aussi :" ->
    "a lire aussi": lower case, no accents, ’ as ', runs of spaces as one."""
    # str.replace, not translate(): translate with a table costs ten times more.
    folded = text.casefold().replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    bare = _COMBINING.sub("", unicodedata.normalize("NFD", folded))
    keys = _SPACES_IN_LINES.sub(" ", bare)  # none of these adds or removes a line break
    numbers, line, counted_to = set(), 0, 0
    for match in _BOILERPLATE_LINE.finditer(keys):
        line += keys.count("\n", counted_to, match.start())
        counted_to = match.start()
        numbers.add(line)
    return numbers
