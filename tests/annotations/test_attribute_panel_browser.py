"""The attribute panel in headless Chromium: tagging opens it (prefilled for a casualty
figure), Enter saves, words of the article fill a speaker, and a submit refused for missing
values lists them. No JavaScript error and no CSP violation (the page fixture checks)."""

import pytest
from playwright.sync_api import expect

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span
from tests.annotations.test_annotate_browser import drag_select, live_spans, wait_for_spans
from tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = (
    "Effondrement du pont de Brévaine\n"
    "\n"
    "Selon la préfecture, au moins 12 morts ont été retrouvés sous les décombres. "
    "« Les recherches continueront toute la nuit », a déclaré Mme Lefaucheux, préfète. "
    "Les secours recherchent encore des survivants."
)


@pytest.fixture
def open_work(page, login_as, analyst, admin_user, labels):
    def open_(tags=()):
        article = make_article(TEXT, by=admin_user, title="Effondrement du pont de Brévaine")
        assignment = Assignment.objects.create(article=article, analyst=analyst)
        for phrase, label in tags:
            start = TEXT.index(phrase)
            spans.create_span(
                assignment.pk, analyst, label=labels[label], start=start, end=start + len(phrase)
            )
        login_as(analyst)
        page.goto(f"/annotate/{assignment.pk}/")
        return assignment

    return open_


def row(page, span):
    return page.locator(f"#span-item-{span.pk}")


def test_tagging_a_casualty_figure_opens_its_panel_prefilled_and_enter_saves(page, open_work):
    assignment = open_work()
    drag_select(page, "au moins 12 morts")
    page.keyboard.press("3")  # Casualty figure
    wait_for_spans(page, 1)
    panel = page.locator("#attribute-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#proposal-note")).to_contain_text("Proposed from the text")
    expect(panel.locator('input[name="value-kind"][value="killed"]')).to_be_checked()
    expect(panel.locator("#value-min")).to_have_value("12")
    expect(panel.locator("#value-max")).to_have_value("")
    expect(panel.locator('input[name="value-precision"][value="approx"]')).to_be_checked()
    # The focus is in the panel, on the proposed kind.
    expect(panel.locator('input[name="value-kind"][value="killed"]')).to_be_focused()
    (span,) = live_spans(assignment)
    assert span.attributes == {}  # a proposal until confirmed

    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(row(page, span).locator(".values")).to_have_text("killed · ≥ 12 · approximate")
    # Back on the span's row: the next key acts on it.
    expect(row(page, span).locator(".span-focus")).to_be_focused()
    span.refresh_from_db()
    assert span.attributes == {"kind": "killed", "min": 12, "precision": "approx"}

    page.reload()
    wait_for_spans(page, 1)
    expect(row(page, span).locator(".values")).to_have_text("killed · ≥ 12 · approximate")


def test_a_speaker_is_picked_in_the_text_with_its_offsets(page, open_work):
    assignment = open_work()
    drag_select(page, "Les recherches continueront toute la nuit")
    page.keyboard.press("2")  # Quote
    wait_for_spans(page, 1)
    panel = page.locator("#attribute-panel")
    expect(panel.locator('input[name="value-kind"]').first).to_be_focused()
    page.keyboard.press("Tab")  # the kind's "unknown"
    page.keyboard.press("Tab")
    speaker = panel.locator("#value-speaker")
    expect(speaker).to_be_focused()
    drag_select(page, "Mme Lefauch")  # snapped to whole words
    expect(speaker).to_have_value("Mme Lefaucheux")
    expect(speaker).to_be_focused()
    expect(page.locator("#picker")).to_be_hidden()  # the words went to the field, not a tag
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    (span,) = live_spans(assignment)
    at = TEXT.index("Mme Lefaucheux")
    assert span.attributes == {"speaker": {"text": "Mme Lefaucheux", "start": at, "end": at + 14}}
    expect(row(page, span).locator(".values")).to_have_text("« Mme Lefaucheux »")


def test_a_speaker_is_picked_with_the_keyboard(page, open_work):
    assignment = open_work(tags=[("Les recherches continueront toute la nuit", "Quote")])
    (span,) = live_spans(assignment)
    row(page, span).locator(".span-focus").focus()
    page.keyboard.press("v")
    panel = page.locator("#attribute-panel")
    expect(panel.locator('input[name="value-kind"]').first).to_be_focused()
    page.keyboard.press("1")  # direct
    page.locator("#value-speaker").focus()
    page.keyboard.press("Tab")
    expect(panel.locator(".pick").first).to_be_focused()
    page.keyboard.press("Enter")  # Pick words in the text: from the span's sentence
    # « Les recherches … » : the words after the quote are "a déclaré Mme Lefaucheux".
    for _ in range(9):
        page.keyboard.press("l")
    page.keyboard.press("Shift+L")
    expect(page.locator("#value-speaker")).to_have_value("Mme Lefaucheux")
    page.keyboard.press("Enter")  # back to the field
    expect(page.locator("#value-speaker")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    span.refresh_from_db()
    at = TEXT.index("Mme Lefaucheux")
    assert span.attributes == {
        "kind": "direct",
        "speaker": {"text": "Mme Lefaucheux", "start": at, "end": at + 14},
    }


def test_typing_leaves_the_offsets_empty_and_esc_closes_without_saving(page, open_work):
    assignment = open_work(tags=[("Les recherches continueront toute la nuit", "Quote")])
    (span,) = live_spans(assignment)
    row(page, span).locator(".span-focus").focus()
    page.keyboard.press("v")
    speaker = page.locator("#value-speaker")
    expect(page.locator('#attribute-panel input[name="value-kind"]').first).to_be_focused()
    speaker.fill("la préfète")
    page.keyboard.press("Escape")
    expect(page.locator("#attribute-panel")).to_be_hidden()
    expect(row(page, span).locator(".span-focus")).to_be_focused()
    span.refresh_from_db()
    assert span.attributes == {}
    page.keyboard.press("v")
    expect(page.locator('#attribute-panel input[name="value-kind"]').first).to_be_focused()
    speaker.fill("la préfète")
    page.keyboard.press("Enter")
    expect(page.locator("#attribute-panel")).to_be_hidden()
    span.refresh_from_db()
    assert span.attributes == {"speaker": {"text": "la préfète", "start": None, "end": None}}


def test_an_error_comes_back_beside_its_field(page, open_work):
    assignment = open_work(tags=[("au moins 12 morts", "Casualty figure")])
    (span,) = live_spans(assignment)
    row(page, span).locator(".span-focus").focus()
    page.keyboard.press("v")
    expect(page.locator('#attribute-panel input[name="value-kind"]').first).to_be_focused()
    page.locator("#value-max").fill("3")
    page.keyboard.press("Enter")
    error = page.locator("#error-max")
    expect(error).to_have_text("“Max” cannot be less than “Min”.")
    expect(page.locator("#value-max")).to_be_focused()
    span.refresh_from_db()
    assert span.attributes == {}


def test_submit_lists_missing_values_and_each_item_opens_its_panel(page, open_work, live_server):
    assignment = open_work(
        tags=[
            ("des survivants", "Casualty figure"),
            ("Les recherches continueront toute la nuit", "Quote"),
        ]
    )
    lacking = Span.objects.get(text="des survivants")
    page.keyboard.press("Shift+Enter")
    missing = page.locator("#missing-values")
    expect(missing).to_be_visible()
    expect(missing.locator("h2")).to_have_text("1 span lacks a required value")
    item = missing.locator(".missing-item")
    expect(item).to_have_count(1)
    expect(item).to_be_focused()
    expect(row(page, lacking)).to_contain_text("⚠ Missing: Kind")

    page.keyboard.press("Enter")
    panel = page.locator("#attribute-panel")
    kind = panel.locator('input[name="value-kind"]')
    expect(kind.first).to_be_focused()
    expect(page.locator("mark.flash").first).to_be_visible()  # the span, shown in the text
    page.keyboard.press("2")  # injured
    expect(kind.nth(1)).to_be_checked()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(missing).to_be_hidden()
    lacking.refresh_from_db()
    assert lacking.attributes == {"kind": "injured"}

    page.keyboard.press("Shift+Enter")
    page.wait_for_url(f"{live_server.url}/annotate/")  # next: nothing left, the queue
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED


def test_unknown_is_a_box_per_field(page, open_work):
    assignment = open_work(tags=[("des survivants", "Casualty figure")])
    (span,) = live_spans(assignment)
    row(page, span).locator(".span-focus").focus()
    page.keyboard.press("v")
    expect(page.locator('#attribute-panel input[name="value-kind"]').first).to_be_focused()
    page.keyboard.press("Tab")  # kind's "unknown"
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator("#attribute-panel")).to_be_hidden()
    expect(row(page, span).locator(".values")).to_have_text("?")
    span.refresh_from_db()
    assert span.attributes == {"kind": None}
