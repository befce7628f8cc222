"""One refusal path: whatever refuses, htmx gets the message region and a page gets a page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Assignment, Span, Workflow
from annotator.refusal import SWAPPED

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def assert_in_message_region(response, status, message):
    assert response.status_code == status
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#messages", "outerHTML")
    html = response.text
    assert html.lstrip().startswith('<div id="messages"') and "<h1>" not in html
    assert f'<p class="message message-error">{message}' in html


def test_a_service_refusal_under_htmx_is_the_message_region(client, analyst, assignment, labels):
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    client.force_login(analyst)
    url = reverse("annotations:span_create", args=[assignment.pk])
    data = {"label": labels["Claim"].pk, "start": 0, "end": 4, "text": "Crue"}
    response = client.post(url, data, headers=HTMX)
    assert_in_message_region(response, 409, "This article was submitted")
    assert not Span.objects.exists()


def test_a_service_refusal_on_a_plain_post_is_a_page_with_the_reason_and_a_way_back(
    client, analyst, article
):
    Workflow.objects.update_or_create(pk=1, defaults={"self_assignment": False})
    client.force_login(analyst)
    came_from = "http://testserver" + reverse("annotations:articles") + "?q=crue"
    response = client.post(
        reverse("annotations:take"), {"article": article.pk}, headers={"Referer": came_from}
    )
    assert response.status_code == 409
    assert "<h1>Your change was not made</h1>" in response.text
    assert "Articles are assigned by an admin" in response.text
    assert f'href="{came_from}"' in response.text.replace("&amp;", "&")
    assert not Assignment.objects.exists()


def test_the_way_back_never_leaves_the_site(client, analyst, article):
    Workflow.objects.update_or_create(pk=1, defaults={"self_assignment": False})
    client.force_login(analyst)
    response = client.post(
        reverse("annotations:take"),
        {"article": article.pk},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 409
    assert "evil.example" not in response.text
    assert '<a href="/">' in response.text


def test_invalid_hidden_fields_are_refused_with_the_form_errors(client, analyst, assignment):
    client.force_login(analyst)
    url = reverse("annotations:span_create", args=[assignment.pk])
    response = client.post(url, {"label": "", "start": "x"}, headers=HTMX)
    assert_in_message_region(response, 422, "This field is required.")


def test_djangos_own_refusals_take_the_same_path_under_htmx(client, analyst, reviewer):
    client.force_login(reviewer)
    forbidden = client.get(reverse("annotations:queue"), headers=HTMX)
    assert_in_message_region(forbidden, 403, "Your role does not allow this page.")
    missing = client.get("/articles/999999/", headers=HTMX)
    assert_in_message_region(missing, 404, "There is nothing here")
    # Without htmx, the full pages.
    assert "<h1>Not allowed</h1>" in client.get(reverse("annotations:queue")).text
    assert "<h1>Not found</h1>" in client.get("/articles/999999/").text


def test_a_failed_csrf_check_under_htmx_says_the_page_expired(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post(reverse("annotations:take"), {"article": 1}, headers=HTMX)
    assert_in_message_region(response, 403, "The page had expired")


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(client, analyst, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1000
    client.force_login(analyst)
    response = client.post(reverse("articles:upload"), {"source": "x" * 2000}, headers=HTMX)
    assert_in_message_region(response, 413, "The upload is too large")


def test_every_status_we_refuse_with_is_one_htmx_swaps():
    """base.html's htmx config must swap what annotator.refusal answers with."""
    base = Path(settings.BASE_DIR, "templates", "base.html").read_text()
    assert '"code": "' + "|".join(str(status) for status in SWAPPED) + '", "swap": true' in base


def test_a_nul_in_any_parameter_is_refused_before_a_view_sees_it(client, analyst, assignment):
    client.force_login(analyst)
    message = "The request contains characters that are not valid text"
    page = client.get(reverse("annotations:articles"), {"q": "crue\x00"})
    assert page.status_code == 400
    assert message in page.text and "<h1>" in page.text
    fragment = client.get(reverse("annotations:articles"), {"q": "\x00"}, headers=HTMX)
    assert_in_message_region(fragment, 400, message)
    url = reverse("annotations:span_create", args=[assignment.pk])
    data = {"label": 1, "start": 0, "end": 4, "text": "Cr\x00e"}
    assert_in_message_region(client.post(url, data, headers=HTMX), 400, message)
    assert not Span.objects.exists()


def test_a_nul_at_login_is_refused_and_never_reaches_the_throttle(client):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "ana\x00", "password": "x"})
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
