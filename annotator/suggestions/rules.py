"""Suggest QUOTE and CASUALTY FIGURE spans in French news text, by rules.

The rules are those of the suggestions gold standard's guidelines (§1 direct quotes, §3
casualty figures). A suggestion only saves an analyst a selection, so precision comes first:
words in quotation marks are a quote on the evidence of a speech cue or of their own form
(a clause, first person, an exclamation), a count of people is a figure when a harm is
stated. The numbers and kinds are read by annotator.french.numbers, as for an analyst.

>>> text = "« Nous partirons demain », a déclaré le maire. Au moins 12 morts."
>>> [(text[s.start : s.end], s.label, s.reason) for s in suggest(text)]
[('Nous partirons demain', 'Quote', 'guillemets + déclaré'), ('Au moins 12 morts', \
'Casualty figure', 'nombre + morts')]

Linear in the text: a few regex passes without backtracking runs (possessive quantifiers),
then bounded work around each quotation mark and each number.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from annotator.french import casualty_words as lexicon
from annotator.french.numbers import Reading, parse_number, read_casualty
from annotator.french.tokens import APOSTROPHES

# The seeded labels' names (annotations migration 0003), and the version of these rules:
# an article is read again by a new version (annotations.suggestions).
Label = Literal["Quote", "Casualty figure"]
QUOTE: Label = "Quote"
CASUALTY_FIGURE: Label = "Casualty figure"
VERSION = "1"


@dataclass(frozen=True)
class Suggestion:
    """`attributes` are values of the seeded label's attributes, as a span stores them
    (annotations.attributes): a quote's kind and its speaker and cue as words of the text
    ({"text", "start", "end"}), a casualty figure's kind, min, max (left out: open-ended)
    and precision."""

    start: int
    end: int  # exclusive: text[start:end] is the span
    label: Label
    attributes: dict[str, Any] = field(hash=False)
    reason: str  # why, in French, for the analyst: "guillemets + déclaré", "nombre + morts"
    incise: bool = False  # a quote: words of its speaker inside its marks (§1.3)
    partial: bool = False  # a quote: one of its marks is in another sentence


def _words(text: str, bounds: tuple[int, int] | None) -> dict[str, Any] | None:
    if bounds is None:
        return None
    return {"text": text[bounds[0] : bounds[1]], "start": bounds[0], "end": bounds[1]}


def suggest(text: str) -> list[Suggestion]:
    """Direct quotes and casualty figures of `text` (a sentence or a whole article)."""
    if not isinstance(text, str) or not text:
        return []
    sentences = _Sentences(text)
    found = _quotes(text, sentences) + _casualties(text, sentences)
    return sorted(found, key=lambda s: (s.start, s.end, s.label))


# --- Words --------------------------------------------------------------------------------
# Lower-cased, accents as written. Speech verbs and nouns are the guidelines' cues (§1.2);
# the rest says which words of a sentence do what around quotation marks and counts.


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _first_group(stem: str) -> tuple[set[str], set[str]]:
    """Finite and non-finite forms of a verb in -er: "déclar" -> déclare, déclarait…
    and déclaré, déclarer, déclarant. "annonc" takes a ç, "jug" an e before a and o."""
    finite, other = set(), set()
    for ending in ("e", "es", "ent", "ait", "aient", "a", "era", "eront", "erait", "èrent"):
        if ending[0] in "ao" and stem.endswith("c"):
            finite.add(stem[:-1] + "ç" + ending)
        elif ending[0] in "ao" and stem.endswith("g"):
            finite.add(stem + "e" + ending)
        else:
            finite.add(stem + ending)
    for ending in ("é", "ée", "és", "ées", "er"):
        other.add(stem + ending)
    other.add(
        stem[:-1] + "çant"
        if stem.endswith("c")
        else stem + ("eant" if stem.endswith("g") else "ant")
    )
    return finite, other


_ER_STEMS = """
    déclar affirm expliqu précis soulign ajout confi estim jug répliqu rétorqu assur indiqu
    annonc confirm racont rapport résum témoign insist lâch gliss not observ constat comment
    analys avou regrett déplor dénonc contest évoqu qualifi trait tax accus parl tweet twitt
    publi ironis fustig indign exclam écri interrog questionn demand signal révél murmur cri
    hurl plaid argument rappel répét concéd suggér considér mentionn relat confess jur ni clam
    scand lanc tonn emport inquiét félicit salu remerci interpell appel recommand conseill
    préconis exig réclam menac alarm étonn enchaîn complét nuanc tranch souffl prôn exhort
    martel poursuiv
""".split()
# Irregular verbs, and the accents of -er verbs that move ("répète", "rappelle").
_IRREGULAR_FINITE = _set("""
    dit dis disait disaient disent dira diront dirait diraient dirent
    écrit écrivait écrivaient écrivent écrira écrirait écrivit
    répond répondait répondaient répondent répondra répondrait répondit
    reconnaît reconnait reconnaissent reconnaissait reconnaîtra reconnut
    admet admettent admettait admit promet promettent promettait promit
    soutient soutiennent soutenait prévient préviennent prévenait avertit avertissent
    avertissait conclut concluent concluait décrit décrivent décrivait poursuit poursuivent
    poursuivait dément démentent démentait reprend reprennent reprenait réagit réagissent
    maintient maintiennent contredit prédit lit
    répète répètent rappelle rappellent appelle appellent martèle martèlent concède
    concèdent suggère suggèrent considère considèrent révèle révèlent inquiète inquiètent
    complète complètent jette
""")
_IRREGULAR_OTHER = _set("""
    dire dits dite dites disant écrire écrite écrits écrites écrivant répondre répondu
    répondant reconnaître reconnu reconnue reconnus admettre admis promettre promis
    soutenir soutenu prévenir prévenu avertir averti conclure conclu décrire décrite
    démentir démenti reprendre repris réagir réagi maintenu contredire prédire
""")
_SPEECH_FINITE = set(_IRREGULAR_FINITE)
_SPEECH_VERBS = set(_IRREGULAR_FINITE | _IRREGULAR_OTHER)
for _stem in _ER_STEMS:
    _finite, _other = _first_group(_stem)
    _SPEECH_FINITE |= _finite
    _SPEECH_VERBS |= _finite | _other
# "cité" is also the noun "la cité", "lit" the bed: words too common in other senses.
_SPEECH_FINITE -= {"lit", "note", "notent"}
_SPEECH_VERBS -= {"lit"}
_SPEECH_NOUNS = _set("""
    déclaration déclarations communiqué propos discours message entretien interview tweet
    tribune conclusion témoignage allocution réponse aveu affirmation affirmations
""")
# Right before the marks, a name or a title, not words said (§1.2, test 1).
_DESIGNATIONS = _set("""
    surnommé surnommée surnommés surnommées appelé appelée appelés appelées nommé nommée
    nommés nommées dénommé dénommée baptisé baptisée baptisés baptisées rebaptisé rebaptisée
    intitulé intitulée intitulés intitulées titré titrée proclamé proclamée proclamés
    proclamées alias dit dite dits dites surnom sobriquet nom noms mot mots terme termes
    expression expressions appellation vocable label hashtag sigle acronyme marque titre
    titres thème thèmes qualificatif devise
""")
_SAID = _set("dit dite dits dites")
# "il dit « … »", "a dit « … »": said, not "known as".
_SAYERS = _set("a ont avait avaient aurait il elle on ils elles qui lui leur me m j nous vous")
_WORKS = _set("""
    film films livre livres roman romans ouvrage album albums chanson chansons single disque
    émission émissions série feuilleton spectacle pièce exposition festival opération
    campagne programme plan projet journal magazine hebdomadaire quotidien revue rubrique
    chronique blog site page association mouvement parti collectif groupe club équipe
    société entreprise restaurant bar hôtel navire bateau mission loi réforme dispositif prix
    concours trophée cérémonie marche soirée conférence colloque séminaire tournée saison
    épisode chapitre poème tableau œuvre jeu logiciel application opus morceau documentaire
    téléfilm pétition manifeste rapport étude enquête slogan
""")
_SUBJECTS = _set("il elle ils elles on")
_PRONOUNS = _SUBJECTS | _set("je j tu nous vous")
_STRESSED = _set("lui eux elle elles")  # "d'après lui"
_HONORIFICS = frozenset("M MM Mme Mmes Mlle Dr Pr Me Mgr".split())
_AUXILIARIES = _set("""
    a ont avait avaient aurait auraient aura auront avons avez ai as est sont était étaient
    eut eurent avoir
""")
_ADVERBS = _set("""
    aussi encore également ensuite alors déjà enfin même toujours ainsi notamment pourtant
    bien tout très ne n pas jamais plus lui-même elle-même eux-mêmes d'ailleurs aujourd hui
""")
_TIME_WORDS = _set("""
    hier lundi mardi mercredi jeudi vendredi samedi dimanche matin soir midi après-midi
    dernier dernière prochain ce cette
""")
_CALENDAR = _set("""
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    lundi mardi mercredi jeudi vendredi samedi dimanche états etats
""")
_PREPOSITIONS = _set("""
    sur dans à au aux lors devant en pendant après avant depuis chez face auprès via par
""")
_CLITICS = _SUBJECTS
_CLITICS_OBJECT = _set("lui leur nous vous me m te t se s y en l le la les ne n pas")
_DETERMINERS = _set("""
    le la les l un une des du ce cet cette ces son sa ses leur leurs notre nos votre vos mon
    ma mes au aux
""")
# What ends a noun phrase read as a speaker.
_NP_STOPS = _set("""
    qui que qu dont où et ou mais pour à au aux dans sur par avec selon lors en chez vers
    après avant devant sans comme car donc ni a est sont ont lui y se s ne n
""")
_NAME_PARTICLES = _set("de d du des van von der den ben bin al el da di dos ibn abou abu")
# First and second person: §1.2 test 3.
_PERSONAL = _set("je me moi tu te toi nous vous mon ma mes ton ta tes notre nos votre vos")
_FINITE = _set("""
    est sont était étaient sera seront serait seraient fut furent soit soient ont avait
    avaient aura auront aurait auraient va vont allait allaient peut peuvent pouvait
    pouvaient pourra pourrait doit doivent devait devrait faut fallait faudra faudrait fait
    font faisait veut veulent voulait sait savent savait vient viennent venait reste
    restent semble semblent existe existent suis es sommes êtes ai as avons avez vais vas
    allons allez dois peux veux sais
""")
# Number words that start a count ("un" and "une" apart: they are mostly articles).
_NUMBER_WORDS = _set("""
    zéro deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze
    seize vingt vingts trente quarante cinquante soixante septante huitante octante nonante
    cent cents mille
""")
# Between a count and its noun: "trois jeunes femmes", "deux petits enfants".
_PRENOMINAL = _set("""
    jeunes petits petites grands grandes vieux vieilles nouveaux nouvelles premiers premières
    derniers dernières pauvres simples braves malheureux malheureuses
""")
# Nouns that count people; a harm must still be said of them (§3.1).
_PEOPLE = _set("""
    personne personnes gens homme hommes femme femmes enfant enfants bébé bébés nourrissons
    adolescent adolescents adolescente adolescentes jeune jeunes garçon garçons fille filles
    fillette fillettes adulte adultes civil civils habitant habitants résident résidents
    villageois citoyen citoyens ressortissant ressortissants individu individus soldat
    soldats militaire militaires policier policiers policière policières gendarme gendarmes
    agent agents officier officiers garde gardes combattant combattants rebelle rebelles
    insurgé insurgés djihadiste djihadistes jihadiste jihadistes militant militants
    terroriste terroristes assaillant assaillants kamikaze kamikazes membre membres passager
    passagers voyageur voyageurs touriste touristes pèlerin pèlerins fidèle fidèles migrant
    migrants manifestant manifestants détenu détenus prisonnier prisonniers otage otages
    ouvrier ouvriers travailleur travailleurs mineur mineurs employé employés salarié
    salariés élève élèves étudiant étudiants écolier écoliers patient patients malade malades
    pompier pompiers secouriste secouristes sauveteur sauveteurs journaliste journalistes
    marin marins pêcheur pêcheurs randonneur randonneurs alpiniste alpinistes skieur skieurs
    cycliste cyclistes piéton piétons automobiliste automobilistes conducteur conducteurs
    motard motards spectateur spectateurs supporter supporters opposant opposants partisan
    partisans suspect suspects colons paysan paysans agriculteur agriculteurs humains
    occupants participants
""")
# Demonyms and agent nouns by their endings ("burundais", "chiites", "travailleurs").
_PEOPLE_ENDINGS = (
    "istes", "iens", "iennes", "ains", "aines", "ais", "aises", "ois", "oises", "éens",
    "éennes", "eurs", "euses", "ites",
)  # fmt: skip
_NOT_PEOPLE = _set("""
    mois fois bois pois trains terrains bains mains pains grains essais délais frais palais
    relais marais jamais mais liens biens chiens entretiens soutiens moyens listes pistes
    lendemains domaines semaines secteurs moteurs ordinateurs couleurs valeurs erreurs
    hauteurs fleurs honneurs malheurs facteurs capteurs réacteurs compteurs tracteurs
    ascenseurs sites limites suites visites
""")
# Between an elided count and its predicate: "81 ont été blessées", "huit sont portées
# disparues", "plusieurs centaines à avoir été blessés".
_PREDICATE_FILLERS = _set("""
    autres autre ont sont a est été étaient avaient auraient seraient furent aussi
    également toujours encore déjà plus très portés portées porté portée à avoir être hélas
    ensuite
""")


def _filler(word: str) -> bool:
    return word in _PREDICATE_FILLERS or (word.endswith("ment") and len(word) > 6)


# --- Sentences and tokens -----------------------------------------------------------------

# A sentence ends at a line break, or at final marks (with the quotes and brackets closing
# after them) and spaces before a capital or a digit. Possessive runs, and only from the
# first mark of a run: "......" is read once, not once per dot.
_FINAL = re.compile(
    r"\n|(?<![.!?…])[.!?…]++[»”\")\]]*+[^\S\n]++(?=[«\"“(\-–—]?[^\S\n]*+[A-ZÀ-ÖØ-Þ0-9])"
)
# "M. Dupont", "J. Martin": a full stop after a title or an initial ends no sentence.
_TITLE_OR_INITIAL = re.compile(r"(?:^|[\s(])(?:M|MM|Mme|Mmes|Mlle|Mgr|Me|Dr|Pr|St|Ste|\w)\Z")


class _Sentences:
    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.starts = [0]
        for match in _FINAL.finditer(text):
            at = match.start()
            single = text[at] == "." and text[at + 1 : at + 2].isspace()
            if single and _TITLE_OR_INITIAL.search(text[max(0, at - 5) : at]):
                continue
            self.starts.append(match.end())

    def bounds(self, at: int) -> tuple[int, int]:
        k = bisect_right(self.starts, at) - 1
        end = self.starts[k + 1] if k + 1 < len(self.starts) else self.size
        return self.starts[k], end


class Tok(NamedTuple):
    text: str
    low: str
    start: int
    end: int


# Words (hyphenated ones whole: "a-t-il", "dix-neuf"), digits, or any other single mark.
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|\S")


def _tokens(text: str, start: int, end: int) -> list[Tok]:
    return [
        Tok(word, word.lower(), *m.span())
        for m in _TOKEN.finditer(text, start, end)
        for word in (m.group(),)
    ]


def _elided(toks: list[Tok], i: int) -> bool:
    """Whether toks[i] is an elided word ("l'", "d'", "qu'"): an apostrophe follows it."""
    return i + 1 < len(toks) and toks[i + 1].text in APOSTROPHES


def _is_word(tok: Tok) -> bool:
    return tok.text[0].isalpha()


# --- Quotes: pairing the marks (§1.1) -----------------------------------------------------

_TYPOGRAPHIC = re.compile("[«»‹›“”„]")
_CLOSES = {"»": "«", "›": "‹", "”": "“„"}


class _Pair(NamedTuple):
    open: int | None  # the opening mark, None when the quote began before the text
    close: int | None  # the closing mark, None when it goes on past the paragraph
    start: int  # the text between them, untrimmed
    end: int


def _line_start(text: str, at: int, floor: int) -> int:
    return max(floor, text.rfind("\n", floor, at) + 1)


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _typographic_pairs(text: str) -> list[_Pair]:
    """« », ‹ ›, “ ” and „ “, the outer pairs only. An opening mark goes with the next
    closing mark; a second opening of the same kind is ignored (§1.1), another kind nests.
    A quote goes on into the next paragraph when that one starts with the same opening
    mark (French typography) or when its next mark closes the quote."""
    pairs: list[_Pair] = []
    stack: list[str] = []
    outer = last = 0
    floor = 0  # a lone closing mark's span starts no earlier than the last closing mark
    for match in _TYPOGRAPHIC.finditer(text):
        at, mark = match.start(), match.group()
        closes = mark in _CLOSES or (mark == "“" and bool(stack) and stack[-1] == "„")
        if stack and text.find("\n", last, at) >= 0 and not closes:
            if mark == stack[0] and text[_line_start(text, at, last) : at].strip() == "":
                last = at  # the quote's next paragraph
                continue
            end = _line_end(text, last)
            pairs.append(_Pair(outer, None, outer + 1, end))
            stack.clear()
            floor = end
        if not closes:
            if not stack:
                outer = at
            if mark not in stack:
                stack.append(mark)
            last = at
            continue
        family = "„" if mark == "“" else _CLOSES[mark]
        k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k] in family), None)
        if k is None:
            if not stack:
                start = _line_start(text, at, floor)
                pairs.append(_Pair(None, at, start, at))
                floor = at + 1
            continue  # a closing mark of a kind that is not open, inside a quote: stray
        del stack[k:]
        last = at
        if not stack:
            pairs.append(_Pair(outer, at, outer + 1, at))
            floor = at + 1
    if stack:
        pairs.append(_Pair(outer, None, outer + 1, _line_end(text, last)))
    return pairs


def _closing_straight(text: str, at: int, line_start: int) -> bool:
    """§1.1: whether the odd straight quote at `at`, the first of its line, closes."""
    if at > line_start and not text[at - 1].isspace():
        return True  # glued to the word before: pour tout le monde".
    rest = text[at + 1 : at + 40].lstrip(" \t\u00a0\u202f")
    if rest == "" or rest[0] in ".,;:!?)\n":
        return True
    return at > line_start and rest[0].islower() and text[at + 1 : at + 2].isspace()


def _straight_pairs(text: str) -> list[_Pair]:
    """Straight quotes alternate open / close within a paragraph; an odd one is decided
    as §1.1 says. A quote left open goes on when the next line starts with a quote."""
    pairs: list[_Pair] = []
    carry: int | None = None
    at = text.find('"')
    while at >= 0:
        start, end = _line_start(text, at, 0), _line_end(text, at)
        marks = []
        while 0 <= at < end:
            marks.append(at)
            at = text.find('"', at + 1)
        if carry is not None and text[start : marks[0]].strip() == "":
            if text[carry:start].count("\n") == 1 or text[carry:start].strip('"\n \t') == "":
                marks = [carry, *marks[1:]]  # the first mark only says the quote goes on
            else:
                carry = None
        else:
            carry = None
        if carry is None and len(marks) % 2 and _closing_straight(text, marks[0], start):
            pairs.append(_Pair(None, marks[0], start, marks[0]))
            marks = marks[1:]
        carry = None
        for k in range(0, len(marks) - 1, 2):
            pairs.append(_Pair(marks[k], marks[k + 1], marks[k] + 1, marks[k + 1]))
        if len(marks) % 2:
            opened = marks[-1]
            following = text[end + 1 : end + 200].lstrip(" \t\u00a0\u202f")
            if end < len(text) and following.startswith('"'):
                carry = opened
            else:
                pairs.append(_Pair(opened, None, opened + 1, end))
    return pairs


def _pairs(text: str) -> list[_Pair]:
    """All pairs in text order, without those nested in another (§1.3)."""
    pairs = sorted(_typographic_pairs(text) + _straight_pairs(text), key=lambda p: p.start)
    kept: list[_Pair] = []
    for pair in pairs:
        if kept and pair.start >= kept[-1].start and pair.end <= kept[-1].end:
            continue
        kept.append(pair)
    return kept


# --- Quotes: deciding (§1.2) --------------------------------------------------------------


class _Cue(NamedTuple):
    word: Tok | None  # the cue word (None: a colon only)
    speaker: tuple[int, int] | None
    near: bool  # right before the marks: "a déclaré : «", "selon X «"
    governs: bool  # the marked words are in its clause (close by, after "que", "selon X,")


def _inverted(tok: Tok) -> tuple[str, tuple[int, int] | None]:
    """ "dit-il" -> ("dit", offsets of "il"); "a-t-elle" -> ("a", …); other words as they are."""
    parts = tok.low.split("-")
    if len(parts) > 1 and parts[-1] in _SUBJECTS:
        return parts[0], (tok.end - len(parts[-1]), tok.end)
    return tok.low, None


def _speech(toks: list[Tok], i: int) -> bool:
    """A speech verb or noun at i, not a noun after a determiner ("le juge", "la note")."""
    low = _inverted(toks[i])[0]
    if low not in _SPEECH_VERBS and low not in _SPEECH_NOUNS:
        return False
    if low in _SPEECH_NOUNS:
        return True
    if toks[i].text[0].isupper() and i and toks[i - 1].text not in '.!?:«“"—–-':
        return False  # "sur Twitter": a name, not the verb "twitter"
    before = toks[i - 1].low if i else ""
    if before in APOSTROPHES and i >= 2:
        before = toks[i - 2].low + "'"
    return before not in _DETERMINERS and before != "l'"


def _attribution(toks: list[Tok], i: int) -> tuple[Tok, tuple[int, int] | None, int] | None:
    """ "a déclaré X", "explique X", "a-t-il précisé", "(comme il se qualifiait)": the cue,
    its speaker and the index after them, when toks[i:] starts with one."""
    n = len(toks)
    while i < n and toks[i].text in ",(—–-":
        i += 1
    if i >= n:
        return None
    according = _according(toks, i)
    if according:
        cue, at = according
        return cue, _noun_phrase(toks, at + 1), at + 1
    if toks[i].low == "comme":
        i += 1
    subject = None
    if i < n and toks[i].low in _SUBJECTS:
        subject, i = (toks[i].start, toks[i].end), i + 1
    if i < n and toks[i].low in ("se", "s"):
        i += 2 if _elided(toks, i) else 1
    if i >= n:
        return None
    verb, inversion = _inverted(toks[i])
    if verb in _AUXILIARIES:
        i += 1
        while i < n and toks[i].low in _ADVERBS:
            i += 1
        if i >= n or toks[i].low not in _SPEECH_VERBS:
            return None
        cue = toks[i]
    elif verb in _SPEECH_FINITE:
        cue = toks[i]
    else:
        return None
    speaker = inversion or subject or _noun_phrase(toks, i + 1, skip_adverbials=True)
    return cue, speaker, i + 1


def _according(toks: list[Tok], i: int) -> tuple[Tok, int] | None:
    """ "selon" or "d'après" at i, as one cue token, and the index of its last token."""
    if toks[i].low == "selon":
        return toks[i], i
    if toks[i].low == "d" and i + 2 < len(toks) and toks[i + 2].low == "après":
        d, mark, after = toks[i : i + 3]
        if mark.text in APOSTROPHES and d.end == mark.start and mark.end == after.start:
            text = d.text + mark.text + after.text
            return Tok(text, text.lower(), d.start, after.end), i + 2
    return None


def _cue_after(toks: list[Tok]) -> tuple[Tok, tuple[int, int] | None] | None:
    """A cue right after the closing mark: « … », a déclaré X / » selon X / » explique X."""
    found = _attribution(toks, 0)
    return (found[0], found[1]) if found else None


def _incise(toks: list[Tok]) -> tuple[Tok, tuple[int, int] | None] | None:
    """ "« A, explique l'association, B »": an attribution between commas, inside."""
    for i, tok in enumerate(toks):
        if tok.text != "," or i + 1 >= len(toks):
            continue
        head = _inverted(toks[i + 1])[0]
        if head not in _SPEECH_FINITE and head not in _AUXILIARIES:
            continue
        found = _attribution(toks, i + 1)
        if found is None:
            continue
        rest = toks[found[2] : found[2] + 10]
        comma = next((k for k, t in enumerate(rest) if t.text == ","), None)
        if comma is not None and found[2] + comma + 1 < len(toks):
            return found[0], found[1]
    return None


def _cue_before(toks: list[Tok]) -> _Cue | None:
    """The speech cue of the clause before the opening mark (§1.2, test 2)."""
    n = len(toks)
    colon = n > 0 and toks[-1].text == ":"
    noun: _Cue | None = None  # a speech noun, taken if the clause has no verb
    for i in range(n - 1, -1, -1):
        tok = toks[i]
        if tok.text in ".;!?":
            break
        between = n - 1 - i
        if noun and (tok.text in ",:" or between > 12):
            return noun
        according = _according(toks, i)
        if according:
            cue, at = according
            speaker = _noun_phrase(toks, at + 1)
            end = speaker[1] if speaker else cue.end
            near = all(t.text in ",:" for t in toks[at + 1 :] if t.start >= end)
            return _Cue(cue, speaker, near, True)
        if tok.low == "pour" and (i == 0 or toks[i - 1].text == ","):
            speaker = _noun_phrase(toks, i + 1)
            if speaker:
                after = next((k for k in range(i + 1, n) if toks[k].start >= speaker[1]), n)
                if after < n and toks[after].text == "," and after - i <= 5:
                    return _Cue(tok, speaker, after == n - 1, True)
        if _is_word(tok) and _speech(toks, i):
            # Capitalised words right after a verb are more often a title ("a publié « Le
            # Monde »"): only a colon or "selon X" make them near enough on their own.
            que = any(t.low in ("que", "qu") for t in toks[i + 1 :])
            governs = colon or between <= 8 or que
            if _inverted(tok)[0] in _SPEECH_NOUNS and i and toks[i - 1].low in _DETERMINERS:
                # "dans un communiqué": the verb of the clause, if any, comes first; a
                # noun has no subject to be the speaker.
                noun = noun or _Cue(tok, None, colon, governs)
                continue
            return _Cue(tok, _subject_before(toks, i), colon, governs)
    if noun:
        return noun
    if colon:
        return _Cue(None, None, True, True)
    return None


def _utterance(toks: list[Tok], tail: str) -> bool:
    """§1.2 test 3: a clause with a finite verb, first or second person, an exclamation
    (`tail`: the last characters inside the marks)."""
    last = tail.rstrip()[-1:]
    if last and last in "!?":
        return True
    for i, tok in enumerate(toks[:80]):
        low = tok.low
        if low in _PERSONAL or (low in ("j", "m", "t", "c", "n", "s") and _elided(toks, i)):
            return True
        following = toks[i + 1] if i + 1 < len(toks) else None
        if low in _CLITICS and following is not None and _is_word(following):
            return True
        if low == "ne" or (low == "a" and tok.text == "a"):
            return True
        before = toks[i - 1].low if i else ""
        after_determiner = before in _DETERMINERS or (before in APOSTROPHES and i >= 2)
        if (low in _FINITE or low in _SPEECH_FINITE) and not after_determiner:
            return True
    return False


def _excluded(before: list[Tok], after: list[Tok], inner: list[Tok]) -> bool:
    """§1.2 test 1: titles, names, nicknames, words cited as words, glosses."""
    left = [t.low for t in before[-3:]]
    if not left:
        return False
    last = left[-1]
    if last in _DESIGNATIONS or last in _WORKS:
        return not (last in _SAID and len(left) > 1 and left[-2] in _SAYERS)
    if last in ("de", "d", "'", "’") and any(w in _DESIGNATIONS for w in left[:-1]):
        return True  # "sous le nom de «", "le mot d'«"
    if before[-1].text == "(" and after[:1] and after[0].text == ")":
        return not _utterance(inner, "")  # (« class action »): a gloss
    return False


def _quotes(text: str, sentences: _Sentences) -> list[Suggestion]:
    out: list[Suggestion] = []
    pairs = _pairs(text)
    for k, pair in enumerate(pairs):
        start, end = pair.start, pair.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        before: list[Tok] = []
        if pair.open is not None:
            floor = max(sentences.bounds(pair.open)[0], pair.open - 240)
            if k and pairs[k - 1].end >= floor:
                floor = pairs[k - 1].end + 1  # not the words of the previous quote
            before = _tokens(text, floor, pair.open)
        after: list[Tok] = []
        if pair.close is not None:
            limit = min(sentences.bounds(pair.close)[1], pair.close + 200)
            following = pairs[k + 1].open if k + 1 < len(pairs) else None
            if following is not None:
                limit = min(limit, following)
            after = _tokens(text, pair.close + 1, limit)
        inner = _tokens(text, start, min(end, start + 600))
        found = _judge(text, before, after, inner, start, end)
        if found is None:
            continue
        cue, speaker, incise, reason = found
        attributes: dict[str, Any] = {"kind": "direct"}
        said = {
            "speaker": _words(text, speaker),
            "cue": None if cue is None else _words(text, (cue.start, cue.end)),
        }
        attributes |= {key: value for key, value in said.items() if value is not None}
        partial = pair.open is None or pair.close is None
        out.append(Suggestion(start, end, QUOTE, attributes, reason, incise, partial))
    return out


def _judge(
    text: str, before: list[Tok], after: list[Tok], inner: list[Tok], start: int, end: int
) -> tuple[Tok | None, tuple[int, int] | None, bool, str] | None:
    """(cue, speaker, incise, reason) if the marked words are a quote, else None."""
    if _excluded(before, after, inner):
        return None
    said_after = _cue_after(after)
    incise = _incise(inner)
    said_before = _cue_before(before)
    if said_after:
        cue, speaker = said_after
        return (
            cue,
            speaker or (said_before.speaker if said_before else None),
            bool(incise),
            (f"guillemets + {cue.text}"),
        )
    if incise:
        return incise[0], incise[1], True, f"guillemets + incise {incise[0].text}"
    utterance = _utterance(inner, text[max(start, end - 5) : end])
    if said_before is not None:
        lower = text[start].islower()
        if utterance or said_before.near or (lower and said_before.governs):
            word = said_before.word
            reason = f"guillemets + {word.text}" if word else "guillemets + deux-points"
            return word, said_before.speaker, False, reason
    if utterance:
        return None, None, False, "guillemets + énoncé complet"
    return None


# --- Speakers (§1.4) ----------------------------------------------------------------------


def _name_run(toks: list[Tok], i: int) -> int:
    """The index after a proper name starting at i ("Jean Ping", "Raúl Castro")."""
    j = i
    while j < len(toks):
        tok = toks[j]
        particle = tok.low in _NAME_PARTICLES and toks[j + 1 : j + 2]
        if (_is_word(tok) and tok.text[0].isupper()) or (
            particle and toks[j + 1].text[:1].isupper()
        ):
            j += 1  # "Jean Ping", "Charles de Gaulle"
        elif tok.text == "." and j > i and len(toks[j - 1].text) <= 3 and j - 1 == i:
            j += 1  # "M. Dupont"
        else:
            break
    return j


def _noun_phrase(
    toks: list[Tok], i: int, *, skip_adverbials: bool = False
) -> tuple[int, int] | None:
    """The speaker's mention from i: a pronoun, a proper name, or a determiner with its
    noun and de-complements; a name in apposition wins ("l'opérateur Sprint")."""
    n = len(toks)
    if skip_adverbials:
        for _ in range(4):
            if i < n and (toks[i].low in _ADVERBS or toks[i].low in _TIME_WORDS):
                i += 1
        if i < n and toks[i].low in _PREPOSITIONS:
            comma = next((k for k in range(i, min(n, i + 12)) if toks[k].text == ","), None)
            if comma is None:
                return None
            i = comma + 1
    if i >= n or not _is_word(toks[i]):
        return None
    tok = toks[i]
    if tok.low in _PRONOUNS or tok.low in _STRESSED:
        return tok.start, tok.end
    if tok.text[0].isupper() and tok.low not in _DETERMINERS:
        return tok.start, toks[_name_run(toks, i) - 1].end
    if tok.low not in _DETERMINERS:
        return None
    j = i + 2 if _elided(toks, i) else i + 1
    while j < n and j - i < 14:
        cur = toks[j]
        if cur.low in ("de", "du", "des", "d") and j + 1 < n:
            j += 2 if _elided(toks, j) else 1
            continue
        if not _is_word(cur) or cur.low in _NP_STOPS or cur.low in _SPEECH_FINITE:
            break
        if cur.low in ("l",) and _elided(toks, j):
            j += 2
            continue
        j += 1
    while j > i + 1 and (
        toks[j - 1].low in ("de", "du", "des", "d") or toks[j - 1].text in APOSTROPHES
    ):
        j -= 1
    return _apposed_name(toks, i, j)


def _apposed_name(toks: list[Tok], i: int, j: int) -> tuple[int, int]:
    """The proper name inside the phrase toks[i:j] when one is apposed to its noun."""
    for k in range(i + 1, j):
        if toks[k].text[0].isupper() and _is_word(toks[k]):
            before = toks[k - 1].low
            complement = before in ("de", "du", "des", "d", "'", "’") or (
                before in _DETERMINERS and k - 1 != i
            )
            end = _name_run(toks, k)
            # The name ends the phrase ("l'opérateur Sprint"), else it is a title or part
            # of a name ("le Premier ministre", "la préfète de la Drôme"): the whole phrase.
            if not complement and end >= j:
                return toks[k].start, toks[j - 1].end
            break
    return toks[i].start, toks[j - 1].end


def _subject_before(toks: list[Tok], v: int) -> tuple[int, int] | None:
    """The subject of the cue at v, read leftwards: "la police d'Orlando évoquait"."""
    i = v - 1
    for k in range(v - 1, max(-1, v - 5), -1):
        if toks[k].low in _AUXILIARIES:
            i = k - 1
            break
    if i >= 1 and toks[v].low.endswith("er") and toks[i].low in ("par", "à", "de"):
        i -= 2  # "finissent par considérer": the subject of the verb before
    for _ in range(6):
        if i >= 0 and (
            toks[i].low in _CLITICS_OBJECT or toks[i].low in _ADVERBS or toks[i].text in APOSTROPHES
        ):
            i -= 1
    if i < 0:
        return None
    tok = toks[i]
    if tok.low in _PRONOUNS:
        return tok.start, tok.end
    if tok.text == ",":
        k = i - 1
        while k >= 0 and _is_word(toks[k]) and toks[k].text[0].isupper():
            k -= 1
        if k < i - 1 and (k < 0 or toks[k].text == ","):
            return toks[k + 1].start, toks[i - 1].end
        return None
    if not _is_word(tok):
        return None
    j = i
    while j > 0 and i - j < 12:
        cur = toks[j]
        article = cur.low in _DETERMINERS and cur.low not in ("du", "des", "au", "aux")
        starts = article or (cur.low == "l" and _elided(toks, j))
        if starts and toks[j - 1].low not in ("de", "d", "'", "’", "du", "des"):
            break  # the phrase's own article, not that of a complement
        prev = toks[j - 1]
        if not (_is_word(prev) or prev.text in APOSTROPHES) or prev.low in _NP_STOPS:
            break
        j -= 1
    if toks[j].text[0].isupper() and toks[j].low not in _DETERMINERS:
        # A name: "M. Wassim Ollivier affirme", with its honorific (§1.4).
        if j >= 2 and toks[j - 1].text == "." and toks[j - 2].text in _HONORIFICS:
            j -= 2
        elif j >= 1 and toks[j - 1].text in _HONORIFICS:
            j -= 1
        return toks[j].start, toks[i].end
    if toks[j].low not in _DETERMINERS and not (toks[j].low == "l" and _elided(toks, j)):
        return None
    return _apposed_name(toks, j, i + 1)


# --- Casualty figures (§3) ----------------------------------------------------------------


def _alternatives(items: Iterable[str]) -> str:
    # Longest first: an alternation takes the first word that matches, not the longest.
    return "|".join(sorted((re.escape(w) for w in items), key=len, reverse=True))


def _phrase(phrase: tuple[str, ...]) -> str:
    # ("plus", "d") is "plus d'": an elided word takes an apostrophe, the others a space.
    return "".join(
        re.escape(w) + ("[’']\\s*" if w in ("d", "jusqu", "qu", "l") else "\\s+") for w in phrase
    )


_BOUNDS_ALL = lexicon.LOWER + lexicon.UPPER + lexicon.HEDGES
_BOUND = "|".join(_phrase(p) for p in _BOUNDS_ALL)
# "quelque(s) 50" is about 50; "entre 30 et 40" and "de 15 à 25" are ranges.
_PREFIX = _BOUND + "|" + "|".join(_phrase((w,)) for w in ("quelques", "quelque", "entre", "de"))
_PREFIX_ONE = re.compile(_PREFIX, re.IGNORECASE)
# Looked for only before a promising count, from the count backwards ($ is the count).
_PREFIXES = re.compile(rf"(?<![\w.,\-])(?:{_PREFIX}){{1,3}}$", re.IGNORECASE)
_HEDGE_RUN = re.compile(rf"(?:{_BOUND})*", re.IGNORECASE)


_Trie = dict[str, "_Trie"]


def _trie(words: Iterable[str]) -> str:
    """An alternation of `words` factored by their first letters ("d(?:eux|ix)"), so that
    the regex engine leaves most positions after one letter: three times as fast as a
    flat list of a hundred words."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return emit(tree)


def _cased(items: Iterable[str]) -> str:
    # Case-sensitive alternatives run twice as fast as re.IGNORECASE, and a count is
    # written in lower case, capitalised at the start of a sentence, or in capitals.
    return _trie({f(w) for w in items for f in (str.lower, str.capitalize, str.upper)})


_COUNT_WORDS = _NUMBER_WORDS | lexicon.VAGUE_UNITS.keys() | lexicon.ZERO | {"plusieurs"}
# "un" and "une" are mostly articles: a count only before a casualty noun or a round
# count ("une centaine"), after a hedge ("au moins une personne") or as a subset after
# "dont" ("dont un grave").
_ONE_BEFORE = {"mort", "bless", "victime", "tué", "décéd", "décès", "disparu", "réfugi", "déplac"}
_ONE_BEFORE |= {"sinistr", "évacu", "noy", "assassin", "massacr", "fusill", "abattu", "personne"}
_ONE_BEFORE |= set(lexicon.ROUND) | {"million", "milliard"}
_QUANTITY = re.compile(
    rf"(?<![\w.,\-])(?:(?P<digits>\d)|(?:{_cased(_COUNT_WORDS | {'quelques'})})\b"
    rf"|(?P<one>(?<=dont )une?\b|(?:{_cased(('un', 'une'))})"
    rf"(?=[^\S\n]+(?:autres?[^\S\n]+)?(?:{_alternatives(_ONE_BEFORE)}))))"
)
_SCALE = r"(?:\s+(?:mille|millions?|milliards?)\b)?"
_DIGITS = re.compile(
    r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
    r"(?![\w]|[.,]\d)" + _SCALE,
    re.IGNORECASE,
)
# A run of number words that may be one number; annotator.french.numbers says which start of it is.
_NUMBER_PART = _alternatives(_NUMBER_WORDS | {"un", "une"})
_WORD_NUMBER = re.compile(
    rf"(?:{_NUMBER_PART})\b(?:[\s-]+(?:et[\s-]+)?"
    rf"(?:{_NUMBER_PART}|millions?|milliards?)\b){{0,8}}",
    re.IGNORECASE,
)
_OF_MULTIPLIER = rf"(?:\s+d(?:e\s+|[’']\s*)(?:{_alternatives(lexicon.MULTIPLIERS)})\b)*"
_ROUND = re.compile(rf"\s+(?:{_alternatives(lexicon.ROUND)})\b{_OF_MULTIPLIER}", re.IGNORECASE)
_VAGUE = re.compile(
    rf"(?:(?:plusieurs|quelques)\s+)?(?:{_alternatives(lexicon.VAGUE_UNITS)})\b{_OF_MULTIPLIER}",
    re.IGNORECASE,
)
_FEW = re.compile(rf"(?:plusieurs|quelques|{_alternatives(lexicon.ZERO)})\b", re.IGNORECASE)
_LINK = re.compile(r"\s+(à|ou|et)\s+", re.IGNORECASE)
_HEAD = re.compile(
    r"[^\S\n]+(?P<others>autres?[^\S\n]+)?(?P<de>d(?:e[^\S\n]+|[’'][^\S\n]*))?"
    r"(?P<head>[^\W\d_]+(?:-[^\W\d_]+)*)"
)
_NEXT_WORD = re.compile(r"[^\S\n]+([^\W\d_]+(?:-[^\W\d_]+)*)")
_PARTICIPLES = frozenset(w for w in lexicon.KINDS if w.endswith(("é", "ée", "és", "ées")))
_HEAD_NOUNS = (frozenset(lexicon.KINDS) - {"péri", "succombé"}) | {"sans-abri"}
_KIND_PREDICATE = rf"(?:{_alternatives(lexicon.KINDS)}|perdu\s+la\s+vie|trouvé\s+la\s+mort)\b"
# A count with no noun, then its predicate: "et 81 ont été blessées", "300 autres blessées".
_ELIDED = re.compile(
    rf"(?:\s+(?:{_alternatives(_PREDICATE_FILLERS)}|\w+ment)\b){{0,6}}\s+{_KIND_PREDICATE}",
    re.IGNORECASE,
)
_BRIDGE = re.compile(r"\s+à\s+(?:avoir\s+été|être|avoir)\s", re.IGNORECASE)
_KIND_WORD = re.compile(rf"\b{_KIND_PREDICATE}", re.IGNORECASE)
# Rates, not counts (§3.1): "3 morts sur 10", "1 mort pour 100 000 habitants", "par an".
_RATE = re.compile(
    r"\s*(?:%|pour\s*(?:cent|mille)\b|(?:sur|pour)\s+(?:\d|(?:un|une|dix|cent|mille)\b)"
    r"|par\s+(?:an|année|jour|semaine|mois|heure)\b)",
    re.IGNORECASE,
)
# Where the clause about a count ends (casualty_words.STOP_PUNCT and STOP_WORDS); a full
# stop between digits is a thousands separator.
_STOP = re.compile(
    "[" + re.escape("".join(sorted(lexicon.STOP_PUNCT - {"."}))) + r"]|\.(?!\d)"
    rf"|\b(?:{_alternatives(lexicon.STOP_WORDS)})\b",
    re.IGNORECASE,
)
# The harm done by them, or not done: "ont tué 3 civils", "auraient pu être tués".
_ACTIVE = re.compile(
    r"\b(?:a|ont|avait|avaient|aurait|auraient|avoir|ayant|aura|auront)\s+(?:(?!été\b)\w+\s+)?$",
    re.IGNORECASE,
)
_TRANSITIVE = ("tu", "bless", "abatt", "massacr", "assassin", "fusill", "évacu", "noy", "déplac")
_UNDONE = re.compile(r"\b(?:pu|failli|risqu\w*|pourrai\w*|condamn\w*|menacé\w*)\b", re.I)
_OTHER_COUNT = re.compile(
    rf"(?:\d+|\b(?:{_alternatives(_NUMBER_WORDS)}))\s+(?:autres?\s+)?([^\W\d_]+)", re.I
)
_PUT_TO = re.compile(r"\bmi(?:s|se|ses)\s+à\s*$", re.IGNORECASE)
_SAVED = re.compile(
    r"\b(?:sauv\w*|évit\w*|épargn\w*|empêch\w*|pu|condamn\w*)(?:\s+\w+){0,2}\s*$", re.I
)
# A capitalised word right before the digits, not at the start of a sentence.
_NAME_BEFORE = re.compile(r"(?<![.!?»\n]\s)(?<![.!?»\n])\b[A-ZÀ-ÖØ-Þ][\w-]*[^\S\n]+$")
_TALLIES = frozenset("bilan état total nombre chiffre estimation fourchette ordre".split())
_INVARIABLE = frozenset("décès sans-abri".split())
_CHUNKS = re.compile(rf"(?:\s*+\S+){{0,{lexicon.WINDOW + 1}}}")
# The last word of each bound or hedge: only then is the text before a count searched.
_PREFIX_ENDS = {p[-1] + ("'" if p[-1] in ("d", "jusqu") else "") for p in _BOUNDS_ALL}
_PREFIX_ENDS |= {"quelques", "quelque", "entre", "de", "jusqu'à"}
_SAVED_STEMS = ("sauv", "évit", "épargn", "empêch", "pu", "condamn")
_PARTICIPLE_AFTER = re.compile(r"[^\S\n]+[^\W\d_]+(?:é|ée|és|ées|is|ise|ises|us|ues)\b")
_ENTRE = re.compile(r"\bentre\s+$", re.IGNORECASE)
_BEFORE_DONT = re.compile(r"\bdont\s+(?:les\s+)?$", re.IGNORECASE)


class _Count(NamedTuple):
    end: int
    unit: bool  # ends in a noun of number ("centaine", "milliers", "millions"): "de" follows


def _count_at(text: str, at: int) -> _Count | None:
    """One count at `at`: digits, number words, a round or vague count, plusieurs, aucun.
    Its value is read later, by annotator.french.numbers; here only where it ends."""
    if text[at].isdigit():
        digits = _DIGITS.match(text, at)
        if digits is None:
            return None
        end = digits.end()
        unit = not text[end - 1].isdigit()
    else:
        vague = _VAGUE.match(text, at)
        if vague:
            return _Count(vague.end(), True)
        spelled = _WORD_NUMBER.match(text, at)
        if spelled is None:
            few = _FEW.match(text, at)
            return _Count(few.end(), False) if few else None
        found = _longest_number(text[at : spelled.end()])
        if found is None:
            return None
        end = at + found
        unit = text[at:end].lower().endswith(("million", "millions", "milliard", "milliards"))
    rounded = _ROUND.match(text, end)
    if rounded:
        return _Count(rounded.end(), True)
    return _Count(end, unit)


@lru_cache(maxsize=4096)
def _longest_number(words: str) -> int | None:
    """The length of the longest start of `words` that is one number ("vingt et un"):
    parse_number on each start, the same runs coming back again and again."""
    ends = [m.end() for m in re.finditer(r"[^\W\d_]+", words)]
    if len(ends) == 1:
        return ends[0]  # one number word
    for stop in reversed(ends):
        if parse_number(words[:stop]) is not None:
            return stop
    return None


class _Candidate(NamedTuple):
    start: int
    end: int
    head: str  # "" when the noun is elided
    people: bool  # the head counts people without saying their harm ("personnes")
    # The object of a verb of harm ("a tué 9 mineurs"): that verb says the kind, and what
    # follows belongs to another clause ("et en a blessé 14 autres").
    object_of_verb: bool = False


class _Previous(NamedTuple):
    """The last figure found: a subset after "dont", or "et 55 blessées" after "13
    personnes sont mortes", belongs to it when in the same sentence."""

    sentence: int
    people: bool


def _casualties(text: str, sentences: _Sentences) -> list[Suggestion]:
    out: list[Suggestion] = []
    taken = 0
    previous: _Previous | None = None
    for match in _QUANTITY.finditer(text):
        if match.start() < taken:
            continue
        sentence_start, sentence_end = sentences.bounds(match.start())
        last = previous if previous and previous.sentence == sentence_start else None
        candidate = _candidate(text, match, last)
        if candidate is None:
            continue
        reading = _reading(text, candidate, sentence_start, sentence_end)
        if reading is None or reading.kind is None:
            continue
        taken = candidate.end
        previous = _Previous(sentence_start, candidate.people)
        reason = f"nombre + {candidate.head}" if candidate.head else "nombre, nom sous-entendu"
        attributes: dict[str, Any] = {"kind": reading.kind, "precision": reading.precision}
        # No bound said ("plus de 200": no max) is left empty, as the analyst's panel does.
        attributes |= {
            key: value for key, value in (("min", reading.min), ("max", reading.max))
            if value is not None
        }  # fmt: skip
        out.append(Suggestion(candidate.start, candidate.end, CASUALTY_FIGURE, attributes, reason))
    return out


def _reading(
    text: str, candidate: _Candidate, sentence_start: int, sentence_end: int
) -> Reading | None:
    """annotator.french.numbers' reading of the span, in as much of its sentence as it looks at: a
    few words before (a verb, "estimées à", "dont" and the total before it), and the
    clause after, to its first stop (read_casualty goes no further)."""
    start, end = candidate.start, candidate.end
    back = 100 if _BEFORE_DONT.search(text, max(0, start - 12), start) else 24
    window_start = max(sentence_start, start - back)
    window_end = end
    if not candidate.object_of_verb:
        # Thirteen chunks between spaces hold at least the twelve tokens it reads on.
        chunks = _CHUNKS.match(text, end, min(sentence_end, end + 200))
        window_end = chunks.end() if chunks else end
        stop = _STOP.search(text, end, window_end)
        if stop:
            window_end = stop.end()
    return read_casualty(text[start:end], text[window_start:window_end], start - window_start)


def _candidate(text: str, match: re.Match[str], previous: _Previous | None) -> _Candidate | None:
    """The span of a count of harmed people at `match`, or None (§3.1, §3.2)."""
    count_at = match.start()
    count = _count_at(text, count_at)
    if count is None:
        return None
    end, ranged = count.end, False
    link = _LINK.match(text, end)
    # "de 20 à 30", "un ou deux"; "et" only after "entre" ("6 morts et 11 blessés").
    if link and (
        link.group(1).lower() != "et" or _ENTRE.search(text, max(0, count_at - 9), count_at)
    ):
        second_at = link.end()
        hedge = _HEDGE_RUN.match(text, second_at)
        second = _count_at(text, hedge.end() if hedge else second_at)
        if second is not None:
            end, count, ranged = second.end, second, True
    head = _HEAD.match(text, end)
    noun, noun_end = "", end
    kind: Literal["casualty", "people", "elided", "none"] = "none"
    if head and (head.group("de") is None or count.unit):
        noun, noun_end = head.group("head"), head.end()
        if noun.lower() in _PRENOMINAL:  # "trois jeunes femmes", unless "trois jeunes"
            following = _NEXT_WORD.match(text, noun_end)
            if following and (_people(following.group(1)) or following.group(1) in _HEAD_NOUNS):
                noun, noun_end = following.group(1), following.end()
        low = noun.lower()
        if low in _HEAD_NOUNS:
            kind = "casualty"
        elif _people(noun):
            kind = "people"
        elif head.group("de") is None and _filler(low):
            kind = "elided"
    before = [w.lower() for w in _words_before(text, count_at)]
    after_dont = previous is not None and (
        before[-1:] == ["dont"] or before[-2:] == ["dont", "les"]
    )
    after_verb = bool(before) and before[-1] in lexicon.VERBS
    if kind == "none" and not (after_dont or after_verb):
        return None  # the common case, cheaply: "en 2016", "un homme", "13 août"
    found = _Found(match, count, end, ranged, noun, noun_end, kind, after_dont, after_verb)
    return _span(text, found, previous)


class _Found(NamedTuple):
    """A count and what follows it, as _candidate read them."""

    match: re.Match[str]
    number: _Count
    end: int  # after the count, or its range
    ranged: bool
    noun: str
    noun_end: int
    kind: Literal["casualty", "people", "elided", "none"]
    after_dont: bool
    after_verb: bool


def _words_before(text: str, at: int) -> list[str]:
    """The last words before `at` when a space separates them from it ("d'" glued to the
    count is one too): string splits, not a regex searched backwards."""
    chunk = text[max(0, at - 40) : at]
    if not chunk or not (chunk[-1].isspace() or chunk[-1] in APOSTROPHES):
        return []
    return chunk.split()[-3:]


def _span(text: str, found: _Found, previous: _Previous | None) -> _Candidate | None:
    """The rules of a promising count: its bounds and hedges, then whether its noun (or
    the predicate of an elided one) makes it a figure."""
    match, count, end = found.match, found.number, found.end
    noun, noun_end, kind = found.noun, found.noun_end, found.kind
    after_dont, after_verb = found.after_dont, found.after_verb
    count_at = match.start()
    before = _words_before(text, count_at)
    prefixed = None
    if before and before[-1].lower().replace("’", "'") in _PREFIX_ENDS:
        prefixed = _PREFIXES.search(text, max(0, count_at - 40), count_at)
    start = prefixed.start() if prefixed else count_at
    prefixes = (
        [m.group().strip().lower() for m in _PREFIX_ONE.finditer(prefixed.group())]
        if prefixed
        else []
    )
    while prefixes and prefixes[0] == "de" and len(prefixes) > 1:
        prefixes.pop(0)  # "un bilan de plus de 50 morts": the noun's "de", then a bound
        start = _PREFIX_ONE.match(text, start).end()  # type: ignore[union-attr]
    if prefixes[-1:] in (["de"], ["entre"]) and (not found.ranged or _after_noun(text, start)):
        start = count_at  # "état de 32 morts", "un bilan de 60 à 70 morts": the noun's "de"
        prefixes = prefixes[:-1]
    hedged = bool(prefixes)
    one = match.group("one") is not None and count.end == match.end()
    if start != count_at:  # "tue entre 60 et 90 soldats": the words before the bound
        before = _words_before(text, start)
        after_verb = bool(before) and before[-1].lower() in lexicon.VERBS
    named = match.group("digits") and before and before[-1][:1].isupper()
    if named and _NAME_BEFORE.search(text, max(0, start - 40), start):
        return None  # "France 2", "Apollo 11": a number in a name
    if _RATE.match(text, end):
        return None  # "12 %", "3 morts sur 10"
    saving = any(w.lower().startswith(_SAVED_STEMS) for w in before[-3:])
    if saving and _SAVED.search(text, max(0, start - 40), start):
        return None  # "a sauvé 300 personnes", "aurait pu faire 50 morts"
    coordinated = bool(before) and (
        before[-1].lower() in ("et", "ou", "mais") or before[-1][-1] == ","
    )
    if kind in ("casualty", "people") and not _agrees(text[count_at:end], noun):
        return None  # "France 24 victime": the noun is not what is counted
    if kind == "casualty":
        low = noun.lower()
        if one and low == "mort" and text[count_at : count_at + 3].lower() == "une":
            return None  # "une mort certaine": a death, not a dead person
        if (
            low in _PARTICIPLES
            and coordinated
            and previous is not None
            and previous.people
            and not _PARTICIPLE_AFTER.match(text, noun_end)
        ):
            # "13 personnes sont mortes et 55 blessées": the participle of the elided
            # noun; but "et 853 blessés pris en charge" is a noun with its own participle.
            return _Candidate(start, end, "", False)
        if _RATE.match(text, noun_end):
            return None
        return _Candidate(start, noun_end, noun, False)
    if kind == "people":
        if (one and not hedged) or _RATE.match(text, noun_end):
            return None  # "un homme tué": one person, not a count (§3.1)
        if not (after_dont or after_verb or _harmed(text, noun_end)):
            return None
        return _Candidate(start, noun_end, noun, True, after_verb)
    if one and not (after_dont or hedged):
        return None
    if after_dont or after_verb:  # "dont un grave", "en blesse 110 autres"
        return _Candidate(start, end, "", False)
    if (coordinated or _BRIDGE.match(text, end)) and _ELIDED.match(text, end):
        return _Candidate(start, end, "", False)  # "et 81 ont été blessées"
    return None


def _after_noun(text: str, at: int) -> bool:
    """Whether the "de" at `at` follows a noun ("un bilan provisoire de", "fait état de"):
    it is then the noun's, not the start of a range "de 20 à 30" after a verb."""
    before = re.split(r"[\s'’]+", text[max(0, at - 60) : at].lower().strip())
    if before[-1] in _TALLIES:
        return True
    for back in (2, 3):  # "un bilan de", "un bilan provisoire de", but not "a fait de"
        if len(before) >= back and before[-back] in _DETERMINERS:
            return not set(before[1 - back :]) & (_FINITE | _AUXILIARIES)
    return False


def _agrees(count: str, noun: str) -> bool:
    """A plural count takes a plural noun: not "24 victime" (but "un mort", "aucune
    victime", "1,5 million de déplacés", invariable "décès", foreign "six Imbonerakure")."""
    low = noun.lower()
    if low.endswith(("s", "x")) or low in _INVARIABLE or noun[0].isupper():
        return True
    if low not in _HEAD_NOUNS and low not in _PEOPLE:
        return True
    return count.strip().lower() in ("un", "une", "1") or count.lower().split()[0] in lexicon.ZERO


def _people(noun: str) -> bool:
    """Whether a head noun counts people: known nouns, demonyms and agent nouns by their
    endings, and capitalised ones (Philippins, Imbonerakure) that are no month or day."""
    low = noun.lower()
    if low in _PEOPLE:
        return True
    if noun[0].isupper():
        return low not in _CALENDAR
    return low.endswith(_PEOPLE_ENDINGS) and low not in _NOT_PEOPLE


def _harmed(text: str, at: int) -> bool:
    """Whether the clause after a count of people says they were harmed themselves:
    "ont été tués", "sont mortes", "ont perdu la vie" (§3.1), not "ont tué 3 civils"."""
    window = text[at : at + 200]
    stop = _STOP.search(window)
    clause = window[: stop.start()] if stop else window
    kind = _KIND_WORD.search(clause)
    if kind is None:
        return False
    ahead = clause[: kind.start()]
    if kind.group().lower().startswith(_TRANSITIVE) and _ACTIVE.search(ahead):
        return False
    if _UNDONE.search(ahead):
        return False
    if ahead.rstrip().lower().endswith(" à") and not _PUT_TO.search(ahead):
        return False  # "condamnés à mort", unless "mis à mort"
    # A count in between owns the predicate: "5 soldats ont vu 3 civils tués". Ages and
    # times do not count ("âgées de 16 à 25 ans sont mortes").
    return not any(
        _people(m.group(1)) or m.group(1) in _HEAD_NOUNS for m in _OTHER_COUNT.finditer(ahead)
    )
