"""The annotation page's first hour, in headless Chromium: the label picker, selections that
leave the text, number groups, tagging without a mouse, where the focus goes, the reviewer's
decisions, empty submissions, and stale tabs. No JavaScript error and no CSP violation in
any of them (the page fixture checks both)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span
from annotator.review import decisions
from tests.annotations.test_annotate_browser import (
    PHRASE_BOX,
    TEXT,
    close_values,
    drag_select,
    live_spans,
    wait_for_spans,
)
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def open_article(page, login_as, analyst, admin_user, labels):
    """open(text, tags=[(phrase, label name)]) → the analyst's assignment, its spans made
    first, open on the annotation page."""

    def open_(text=TEXT, tags=(), prepare=None):
        article = make_article(text, by=admin_user, title="Inondations à Vasselot")
        # Without suggestions: their outlines would cut the text into more segments than
        # these selections and marks are about (test_suggestions_browser covers them).
        assignment = Assignment.objects.create(article=article, analyst=analyst, suggestions=False)
        for phrase, label in tags:
            start = text.index(phrase)
            spans.create_span(
                assignment.pk, analyst, label=labels[label], start=start, end=start + len(phrase)
            )
        if prepare:
            prepare(assignment)
        login_as(analyst)
        page.goto(f"/annotate/{assignment.pk}/")
        return assignment

    return open_


def focused_row(page):
    return page.evaluate(
        "() => { const i = document.activeElement.closest('.span-item');"
        " return i ? Number(i.dataset.span) : null; }"
    )


def wait_for_focus(page, span):
    page.wait_for_function(
        "id => { const i = document.activeElement.closest('.span-item');"
        " return i && i.dataset.span === String(id); }",
        arg=span.pk,
    )


# --- 1. The label picker ---------------------------------------------------------------


def test_picker_shows_only_with_a_selection_and_a_second_drag_works(page, open_article):
    assignment = open_article()
    picker = page.locator("#picker")
    expect(picker).to_be_hidden()
    drag_select(page, "Nous n’avions jamais vu ça")
    expect(picker).to_be_visible()
    picker.get_by_role("button", name="Quote").click()
    wait_for_spans(page, 1)
    expect(picker).to_be_hidden()
    close_values(page)
    # Right after tagging, a second drag (near where the picker was) selects and tags.
    drag_select(page, "M. Roussel")
    expect(picker).to_be_visible()
    page.keyboard.press("1")
    wait_for_spans(page, 2)
    expect(picker).to_be_hidden()
    assert [s.text for s in live_spans(assignment)] == ["Nous n’avions jamais vu ça", "M. Roussel"]


# --- 2. Selections that leave the text ---------------------------------------------------


def test_a_drag_that_ends_in_the_sidebar_is_clipped_to_the_text(page, open_article):
    assignment = open_article()
    box = page.evaluate(PHRASE_BOX, ["Nous"])
    heading = page.locator("#labels-heading").bounding_box()
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(heading["x"] + 10, heading["y"] + heading["height"] / 2, steps=8)
    page.mouse.up()
    expect(page.locator("#picker")).to_be_visible()
    page.keyboard.press("2")
    wait_for_spans(page, 1)
    span = live_spans(assignment)[0]
    assert (span.start, span.end) == (TEXT.index("Nous"), len(TEXT))
    assert span.text == TEXT[TEXT.index("Nous") :]


def test_select_all_tags_the_whole_text_not_the_focused_sentence(page, open_article):
    assignment = open_article()
    page.keyboard.press("j")
    page.keyboard.press("Control+a")
    page.keyboard.press("1")
    wait_for_spans(page, 1)
    span = live_spans(assignment)[0]
    assert (span.start, span.end, span.text) == (0, len(TEXT), TEXT)


def test_a_selection_wholly_outside_the_text_is_refused_with_a_message(page, open_article):
    assignment = open_article()
    page.keyboard.press("j")  # a focused sentence is not what the analyst selected
    page.evaluate(
        """() => {
          const range = document.createRange();
          range.selectNodeContents(document.getElementById("labels-heading"));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("1")
    expect(page.locator("#messages .message-error")).to_contain_text("outside the article text")
    assert not Span.objects.filter(assignment=assignment).exists()


# --- 3. Number groups --------------------------------------------------------------------

NUMBERS = (
    "Bilan des crues\n"
    "\n"
    "Selon la préfecture, 1 200 personnes ont fui. "
    "En 2019 1 200 autres avaient fui. "
    "Le bilan de 2019 3 400 sinistrés reste provisoire. "
    "Plus de 12\u00a0500 foyers sont privés de courant. "
    "Il est tombé 3,5 millions de litres."
)


@pytest.mark.parametrize(
    ("dragged", "tagged"),
    [
        ("200 personnes", "1 200 personnes"),  # a plain space inside a number
        ("200 autres", "1 200 autres"),  # the year before it stays out
        ("2019 3", "2019 3 400"),  # ending inside a number takes all of it
        ("500 foyers", "12\u00a0500 foyers"),  # a no-break space
        ("5 millions", "3,5 millions"),  # a decimal comma
    ],
)
def test_a_selection_snaps_to_whole_number_groups(page, open_article, dragged, tagged):
    assignment = open_article(NUMBERS)
    drag_select(page, dragged)
    page.keyboard.press("3")
    wait_for_spans(page, 1)
    span = live_spans(assignment)[0]
    assert span.text == tagged
    assert (span.start, span.end) == (NUMBERS.index(tagged), NUMBERS.index(tagged) + len(tagged))


# --- 4. Tagging without a mouse ------------------------------------------------------------


def test_spans_are_tagged_with_the_keyboard_only(page, open_article, labels):
    assignment = open_article()
    keys = page.keyboard
    keys.press("j")
    keys.press("j")  # the first body sentence: « Le fleuve 🌊 a débordé mardi. »
    keys.press("l")  # its first word
    keys.press("Shift+L")
    keys.press("Shift+L")  # Le fleuve 🌊 a
    keys.press("Shift+H")  # shrunk back: Le fleuve
    status = page.locator("#keyboard-selection")
    expect(status).to_have_text("Keyboard selection: « Le fleuve »")
    expect(page.locator("#doc")).to_have_class("doc keyboard-selecting")
    keys.press("1")
    wait_for_spans(page, 1)
    expect(status).to_be_hidden()
    close_values(page)
    # On from there, word by word into the next sentence, to the figure (one word: 1 850).
    for _ in range(8):  # a, débordé, mardi, Les, secours, ont, évacué, 1 850
        keys.press("l")
    expect(status).to_have_text("Keyboard selection: « 1\u202f850 »")
    keys.press("Shift+ArrowRight")
    keys.press("3")
    wait_for_spans(page, 2)
    claim, figure = live_spans(assignment)
    start = TEXT.index("Le fleuve")
    assert (claim.label, claim.start, claim.end, claim.text) == (
        labels["Claim"],
        start,
        start + len("Le fleuve"),
        "Le fleuve",
    )
    start = TEXT.index("1\u202f850")
    assert (figure.label, figure.start, figure.end) == (
        labels["Casualty figure"],
        start,
        start + len("1\u202f850 habitants"),
    )
    # The keys are in the help.
    keys.press("?")
    expect(page.locator("#shortcuts")).to_contain_text("Shift+L")


# --- 5. Where the focus goes ---------------------------------------------------------------


def test_focus_stays_on_the_span_after_relabel_delete_and_undo(page, open_article, labels):
    assignment = open_article(
        tags=[("Vasselot", "Claim"), ("habitants", "Claim"), ("préfecture", "Claim")]
    )
    first, middle, last = live_spans(assignment)
    row_label = "id => document.querySelector(`#span-item-${id} .badge`).textContent"

    page.locator(f"#span-item-{middle.pk} .span-focus").focus()
    page.keyboard.press("2")
    page.wait_for_function(f"id => ({row_label})(id) === 'Quote'", arg=middle.pk)
    wait_for_focus(page, middle)
    page.keyboard.press("3")  # the next key acts on the same span
    page.wait_for_function(f"id => ({row_label})(id) === 'Casualty figure'", arg=middle.pk)
    wait_for_focus(page, middle)

    page.keyboard.press("x")  # removed: the next row has the focus
    wait_for_spans(page, 2)
    wait_for_focus(page, last)
    page.keyboard.press("x")  # the last row removed: the previous one
    wait_for_spans(page, 1)
    wait_for_focus(page, first)

    page.keyboard.press("u")  # restores the last row: focused
    wait_for_spans(page, 2)
    wait_for_focus(page, last)
    page.keyboard.press("u")
    wait_for_spans(page, 3)
    wait_for_focus(page, middle)
    assert focused_row(page) == middle.pk


# --- 6. The reviewer's decisions after a return --------------------------------------------


def test_after_a_return_the_page_shows_what_the_reviewer_decided(
    page, open_article, reviewer, labels
):
    def review(assignment):
        rejected, relabelled, _ = live_spans(assignment)
        spans.submit(assignment.pk, assignment.analyst)
        Assignment.objects.filter(pk=assignment.pk).update(
            claimed_by=reviewer, claim_expires_at=timezone.now() + timedelta(hours=1)
        )
        reason = "Un lieu, pas une affirmation."
        decisions.decide(assignment.pk, reviewer, rejected.pk, "reject", reason=reason)
        decisions.decide(assignment.pk, reviewer, relabelled.pk, "relabel", label=labels["Quote"])
        decisions.return_to_analyst(assignment.pk, reviewer, comment="Deux spans à revoir.")

    assignment = open_article(
        tags=[("Vasselot", "Claim"), ("habitants", "Claim"), ("M. Roussel", "Quote")],
        prepare=review,
    )
    rejected, relabelled, untouched = live_spans(assignment)
    expect(page.locator(f"#span-item-{rejected.pk}")).to_contain_text(
        "✗ Rejected by the reviewer: Un lieu, pas une affirmation."
    )
    expect(page.locator(f"#span-item-{relabelled.pk}")).to_contain_text(
        "↺ Relabelled by the reviewer: Claim → Quote"
    )
    expect(page.locator(f"#span-item-{untouched.pk} .review-note")).to_have_count(0)
    # In the text: the span's first mark says it, in words as well as by its style.
    expect(page.locator("mark.review-rejected[data-review='rejected']")).to_have_count(1)
    expect(page.locator("mark.review-relabelled[data-review='relabelled']")).to_have_count(1)
    expect(page.locator("mark.review-rejected")).to_contain_text("Vasselot")
    expect(page.locator(".message-warning")).to_contain_text("Deux spans à revoir.")


# --- 7. Submitting an empty article; the actions stay in view -------------------------------


def test_submitting_an_article_without_spans_asks_first(page, open_article):
    assignment = open_article()
    dialog = page.locator("#confirm-empty")
    page.keyboard.press("Shift+Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Keep annotating").click()
    expect(dialog).to_be_hidden()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    page.get_by_role("button", name="Submit and next").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Submit without spans").click()
    page.wait_for_url("**/annotate/")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED


def test_submit_stays_in_view_however_long_the_span_list(page, open_article, labels):
    text = "Une longue liste\n\n" + " ".join(f"Phrase numéro {n} du relevé." for n in range(60))
    starts = [i for i in range(len(text)) if text.startswith("numéro", i)]

    def tag_all(assignment):
        for start in starts:
            spans.create_span(
                assignment.pk, assignment.analyst, label=labels["Claim"], start=start, end=start + 6
            )

    open_article(text, prepare=tag_all)
    wait_for_spans(page, 60)
    submit = page.locator("#submit-button")
    expect(submit).to_be_in_viewport()
    # The list scrolls inside the sidebar, and the page scrolls: the button stays.
    page.locator("#span-list").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    assert page.locator("#span-list").evaluate("el => el.scrollTop") > 0
    expect(submit).to_be_in_viewport()
    page.mouse.wheel(0, 5000)
    expect(submit).to_be_in_viewport()


# --- 8 and 9. A stale tab under DEBUG, and the status badge --------------------------------


def test_a_stale_tab_under_debug_shows_the_apps_message_and_the_new_status(
    page, open_article, settings, analyst
):
    settings.DEBUG = True  # as `make run`: Http404 would be Django's technical page
    assignment = open_article(tags=[("Vasselot", "Claim"), ("habitants", "Claim")])
    gone, kept = live_spans(assignment)
    spans.delete_span(assignment.pk, analyst, gone.pk)  # in another tab

    page.locator(f"#span-item-{gone.pk} .span-focus").focus()
    page.keyboard.press("x")
    messages = page.locator("#messages .message-error")
    expect(messages).to_contain_text("That span is no longer in this article")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inondations à Vasselot")
    assert "URLconf" not in page.content()
    assert live_spans(assignment) == [kept]

    # Submitted in another tab: the next key is refused, and the badge says so.
    badge = page.locator("#status-badge")
    expect(badge).to_have_class("badge status-in_progress")
    spans.submit(assignment.pk, analyst)
    page.keyboard.press("j")
    page.keyboard.press("2")
    expect(messages).to_contain_text("read-only")
    expect(badge).to_have_class("badge status-submitted")
    expect(badge).to_have_text(str(Assignment.Status.SUBMITTED.label))
    assert live_spans(assignment) == [kept]
