"""`manage.py export_spans` writes the very bytes of the web download."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotator.exports.models import ExportLog

pytestmark = pytest.mark.django_db


def web_bytes(client, user, query):
    client.force_login(user)
    response = client.get(reverse("exports:download"), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ({}, []),
        ({"dialect": "excel-fr"}, ["--dialect", "excel-fr"]),
        (
            {"status": ["approved", "pending"], "label": ["Claim", "Policy stance"]},
            [
                "--status",
                "approved",
                "--status",
                "pending",
                "--label",
                "Claim",
                "--label",
                "Policy stance",
            ],
        ),
        (
            {
                "analyst": "ana",
                "source": "le monde",
                "published_from": "2023-01-01",
                "published_to": "2023-12-31",
                "dialect": "excel-fr",
            },
            [
                "--analyst",
                "ana",
                "--source",
                "le monde",
                "--published-from",
                "2023-01-01",
                "--published-to",
                "2023-12-31",
                "--dialect",
                "excel-fr",
            ],
        ),
        ({"format": "doccano"}, ["--format", "doccano"]),
        (
            {"format": "doccano", "offsets": "codepoints"},
            ["--format", "doccano", "--offsets", "codepoints"],
        ),
        ({"format": "labelstudio"}, ["--format", "labelstudio"]),
    ],
)
def test_command_output_equals_the_web_download(client, corpus, reviewer, tmp_path, query, args):
    target = tmp_path / "out"
    call_command("export_spans", *args, "-o", str(target), stderr=StringIO())
    assert target.read_bytes() == web_bytes(client, reviewer, query)
    assert not (tmp_path / "out.partial").exists()


def test_articles_option_matches_the_web(client, corpus, reviewer, tmp_path):
    ids = ",".join(str(article.pk) for article in corpus["articles"])
    target = tmp_path / "out.csv"
    call_command("export_spans", "--articles", ids, "-o", str(target), stderr=StringIO())
    assert target.read_bytes() == web_bytes(client, reviewer, {"articles": ids})


def test_exact_leaves_formulas_as_they_are(corpus, tmp_path):
    target = tmp_path / "exact.csv"
    call_command("export_spans", "--exact", "-o", str(target), stderr=StringIO())
    data = target.read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://evil.example"")"' in data
    assert ",-213 morts," in data
    log = ExportLog.objects.get()
    assert (log.via, log.user, log.exact, log.row_count) == ("command", None, True, 7)


def test_standard_output(corpus):
    out = StringIO()
    call_command("export_spans", "--label", "Casualty figure", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "'-213 morts" in lines[1]


def test_bad_filters_stop_the_command_with_the_reason(corpus, tmp_path):
    with pytest.raises(CommandError, match="There is no label named “Rumour”"):
        call_command("export_spans", "--label", "Rumour", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Enter a valid date"):
        call_command("export_spans", "--published-from", "hier")
    assert not (tmp_path / "x.csv").exists()
    assert not ExportLog.objects.exists()
