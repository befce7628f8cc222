"""The icon: /favicon.ico answers without a login, and every page links the SVG one."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_favicon_ico_is_served_at_the_root_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO holding one image
    assert body[22:30] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_pages_link_the_svg_icon(client):
    page = client.get(reverse("login")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")


def test_icon_files_are_what_bin_favicon_draws():
    spec = importlib.util.spec_from_file_location("favicon", ROOT / "bin" / "favicon.py")
    assert spec and spec.loader
    favicon = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(favicon)
    assert (ROOT / "static" / "favicon.svg").read_text() == favicon.svg()
    assert (ROOT / "static" / "root" / "favicon.ico").read_bytes() == favicon.ico(favicon.png())
