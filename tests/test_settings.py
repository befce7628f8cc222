import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {**os.environ, **env}
    # The browser fixture sets this for Playwright; a deployment never would.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789abcdefghij",
    "ALLOWED_HOSTS": "annotator.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://annotator.example.org",
}


def test_deploy_check_is_clean_with_debug_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_only_postgresql_is_accepted():
    result = run_manage("check", DATABASE_URL="sqlite:///db.sqlite3", DEBUG="1")
    assert result.returncode != 0
    assert "must point at PostgreSQL" in result.stderr


def test_debug_accepts_only_booleans():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def run_python(code):
    """Python code in a fresh process with production settings."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "annotator.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_environment_wins_over_dotenv():
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = run_python(f"import django; django.setup(); {code}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['annotator.example.org']"


def test_wsgi_module_loads_views_and_templates_without_a_database_connection():
    """gunicorn's master imports annotator.wsgi and forks workers from it (preload_app)."""
    code = """
import gc
import sys
import annotator.wsgi
from django.db import connections
from django.template import engines
cached = engines["django"].engine.template_loaders[0]
print("views", "annotator.review.views" in sys.modules, "annotator.articles.views" in sys.modules)
print("template", any(key.startswith("review/item.html") for key in cached.get_template_cache))
print("connections", [alias for alias in connections if connections[alias].connection])
print("frozen", gc.get_freeze_count() > 50_000)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "views True True",
        "template True",
        "connections []",
        "frozen True",  # out of the collector's sight: full collections stay short
    ]
