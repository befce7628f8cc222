"""What an analyst does, in headless Chromium against the live server and PostgreSQL."""

import pytest

from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.annotations.spans import set_attributes
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEXT = (
    "Inondations 🌊 à Vasselot\n"
    "\n"
    "Le fleuve 🌊 a débordé mardi. Les secours ont évacué 1\u202f850 habitants selon "
    "la préfecture. « Nous n’avions jamais vu ça », a déclaré M. Roussel."
)

# Where a phrase sits on screen: the rectangles of its first and last characters.
PHRASE_BOX = """
([phrase]) => {
  const walker = document.createTreeWalker(document.getElementById("doc"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + 1);
    const first = range.getBoundingClientRect();
    range.setStart(node, at + phrase.length - 1); range.setEnd(node, at + phrase.length);
    const last = range.getBoundingClientRect();
    return {x1: first.left + 1, y1: first.top + first.height / 2,
            x2: last.right - 1, y2: last.top + last.height / 2};
  }
  return null;
}
"""


def drag_select(page, phrase):
    box = page.evaluate(PHRASE_BOX, [phrase])
    assert box, phrase
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


LIST_ORDER = "items => items.map(i => [Number(i.dataset.start), Number(i.dataset.end)])"


@pytest.fixture
def opened(page, login_as, analyst, admin_user, labels):
    """TEXT assigned to the analyst, open on their annotation page (labels exist first: the
    page's label keys are read when it loads)."""
    article = make_article(TEXT, by=admin_user, title="Inondations à Vasselot")
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    login_as(analyst)
    page.goto(f"/annotate/{assignment.pk}/")
    return assignment


def wait_for_spans(page, count):
    page.wait_for_function(
        "n => document.querySelectorAll('#span-list .span-item').length === n", arg=count
    )


def close_values(page):
    """Tagging with a label that has fields opens the new span's values, and the focus goes
    there: Esc once it has (the next keys act on the text again)."""
    page.wait_for_function(
        "() => document.getElementById('attribute-panel').contains(document.activeElement)"
    )
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.getElementById('attribute-panel').hidden")


def live_spans(assignment):
    return list(
        Span.objects.filter(assignment=assignment, deleted_at__isnull=True)
        .select_related("label")
        .order_by("start")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_analyst_tags_by_keyboard_and_mouse_then_submits(
    page, login_as, analyst, admin_user, labels
):
    article = make_article(TEXT, by=admin_user, title="Inondations à Vasselot")
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    login_as(analyst)

    page.goto("/annotate/")
    page.get_by_role("link", name="Next article").click()
    page.wait_for_url(f"**/annotate/{assignment.pk}/")

    # Sentence mode: j twice focuses the first body sentence (after the headline); 1 = Claim.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("1")
    wait_for_spans(page, 1)
    close_values(page)

    # Span mode: a mouse selection that starts and ends inside words snaps to whole words.
    drag_select(page, "850 habitan")
    page.keyboard.press("3")
    wait_for_spans(page, 2)
    close_values(page)

    spans = live_spans(assignment)
    claim = next(s for s in spans if s.label == labels["Claim"])
    figure = next(s for s in spans if s.label == labels["Casualty figure"])
    # Offsets are code points: the emoji before the sentence counts as one.
    sentence = "Le fleuve 🌊 a débordé mardi."
    assert claim.text == sentence
    assert (claim.start, claim.end) == (TEXT.index(sentence), TEXT.index(sentence) + 28)
    assert figure.text == "1\u202f850 habitants"
    assert TEXT[figure.start : figure.end] == figure.text

    # Delete the figure from the list with x, then undo with u.
    page.locator(f"#span-item-{figure.pk} .span-focus").focus()
    page.keyboard.press("x")
    wait_for_spans(page, 1)
    page.keyboard.press("u")
    wait_for_spans(page, 2)

    # A reload shows exactly what was saved.
    page.reload()
    wait_for_spans(page, 2)
    shown = page.locator("#span-list .span-item").evaluate_all(LIST_ORDER)
    assert shown == [[s.start, s.end] for s in live_spans(assignment)]
    assert page.locator("mark.hl").count() >= 2
    # Labels are shown in text as well as colour.
    assert page.locator(".tag[data-tag='Casualty figure']").count() == 1

    # The figure's required kind (filled in here until the page has fields for values).
    set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "displaced"})

    # Submit with Shift+Enter: the next article (none left) → the queue.
    page.keyboard.press("Shift+Enter")
    page.wait_for_url("**/annotate/")
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    kinds = list(SpanEvent.objects.filter(assignment=assignment).values_list("kind", flat=True))
    assert kinds == ["created", "created", "deleted", "restored", "attributes"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_picker_tags_a_selection_and_shortcuts_dialog_opens(page, opened, labels):
    assignment = opened
    drag_select(page, "Nous n’avions jamais vu ça")
    page.locator("#picker").get_by_role("button", name="Quote").click()
    wait_for_spans(page, 1)
    span = live_spans(assignment)[0]
    assert span.text == "Nous n’avions jamais vu ça"
    page.keyboard.press("?")
    assert page.get_by_role("dialog").is_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_network_failure_and_stale_page_show_a_message_and_change_nothing(
    page, opened, labels, settings
):
    assignment = opened
    settings.ACTION_RETRY_DELAYS = [0.1, 0.1]  # sent twice more, then given up
    page.reload()
    page.route("**/spans/", lambda route: route.abort())
    page.keyboard.press("j")
    page.keyboard.press("1")
    page.locator("#messages .message-error").wait_for()
    assert "could not be reached" in page.locator("#messages").inner_text()
    page.unroute("**/spans/")
    # Submitted meanwhile in another tab: the page says so; nothing is written.
    Assignment.objects.filter(pk=assignment.pk).update(status="submitted")
    page.keyboard.press("1")
    page.wait_for_function(
        "() => document.querySelector('#messages').innerText.includes('read-only')"
    )
    assert not Span.objects.filter(assignment=assignment).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_span_list_rows_change_in_place_and_keep_text_order(page, opened, labels):
    assignment = opened
    rows = page.locator("#span-list .span-item")

    # The first row replaces "No spans yet"; the next goes before it, the last after both.
    for count, phrase in enumerate(["habitants", "Vasselot", "préfecture"], start=1):
        drag_select(page, phrase)
        page.keyboard.press("1")
        wait_for_spans(page, count)
        close_values(page)
    assert rows.evaluate_all(LIST_ORDER) == [[s.start, s.end] for s in live_spans(assignment)]
    assert [TEXT[s.start : s.end] for s in live_spans(assignment)] == [
        "Vasselot",
        "habitants",
        "préfecture",
    ]
    assert page.locator("#spans-heading").inner_text() == "3 spans"
    assert "No spans yet" not in page.locator("#span-list").inner_text()

    # Relabel the middle row by keyboard: it changes where it is.
    page.locator("#span-list .span-focus").nth(1).focus()
    page.keyboard.press("2")
    page.wait_for_function(
        "() => document.querySelectorAll('#span-list .span-item .badge')[1].textContent === 'Quote'"
    )
    assert rows.evaluate_all(LIST_ORDER) == [[s.start, s.end] for s in live_spans(assignment)]

    # Remove every row with x: the count follows, and "No spans yet" comes back.
    for count in (2, 1, 0):
        page.locator("#span-list .span-focus").first.focus()
        page.keyboard.press("x")
        wait_for_spans(page, count)
        assert page.locator("#spans-heading").inner_text() == f"{count} span" + (
            "" if count == 1 else "s"
        )
    assert "No spans yet" in page.locator("#span-list").inner_text()
    assert not live_spans(assignment)
