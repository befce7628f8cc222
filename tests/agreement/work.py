"""Two analysts' work on one article, for the agreement tests."""

from annotator.annotations import spans
from annotator.articles.models import Sentence

TEXT = (
    "Séisme à Corvenne\n\n"
    "La mairie a ouvert trois gymnases pour les sinistrés. "
    "Le maire a parlé d’« une nuit d’angoisse » devant la presse. "
    "Le bilan provisoire fait état de 12 morts."
)


def at(phrase):
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def tag(work, label, bounds, values=None):
    start, end = bounds
    spans.create_span(work.pk, work.analyst, label=label, start=start, end=end, attributes=values)


def first_sentence(article):
    sentence = Sentence.objects.filter(article=article).order_by("index")
    for row in sentence:
        if TEXT[row.start : row.end].startswith("La mairie"):
            return row.start, row.end
    raise AssertionError("no sentence starts with “La mairie”")
