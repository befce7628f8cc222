import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotator.articles.models import Article, SourceFile

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_imports_folders_files_and_reports_each(tmp_path, admin_user):
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "un.txt").write_text("Premier titre\n\nUne phrase.", encoding="cp1252")
    (folder / "deux.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "ignore.csv").write_text("a,b")
    real = SHARED / "000_9a9b054ee487a721.txt"
    out = io.StringIO()
    call_command("import_articles", str(folder), str(real), user=admin_user.username, stdout=out)
    report = out.getvalue()
    assert "created" in report and "rejected" in report
    assert report.strip().endswith("2 created, 0 duplicate, 1 rejected")
    assert Article.objects.count() == 2
    out = io.StringIO()
    call_command("import_articles", str(folder), str(real), user=admin_user.username, stdout=out)
    assert out.getvalue().strip().endswith("0 created, 2 duplicate, 1 rejected")
    assert SourceFile.objects.count() == 2


def test_stores_the_file_name_not_the_server_path(tmp_path, admin_user):
    folder = tmp_path / "lot"
    folder.mkdir()
    (folder / "crue.txt").write_text("Crue de la Lironde\n\nLa rivière déborde.")
    call_command("import_articles", str(folder), user=admin_user.username, stdout=io.StringIO())
    assert list(SourceFile.objects.values_list("name", flat=True)) == ["crue.txt"]


def test_unknown_user_or_path_is_an_error(tmp_path, admin_user):
    with pytest.raises(CommandError, match="No user"):
        call_command("import_articles", str(tmp_path), user="personne")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_articles", str(tmp_path / "absent"), user=admin_user.username)


def test_demo_articles_load_once(settings):
    settings.DEBUG = True
    call_command("setup_demo", stdout=io.StringIO())
    count = Article.objects.count()
    assert count == 8
    call_command("setup_demo", stdout=io.StringIO())
    assert Article.objects.count() == count
    assert all(a.removed_lines for a in Article.objects.all())
