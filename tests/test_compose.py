"""No Docker engine here, so check that the compose file agrees with what the app reads."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (ROOT / "annotator" / "settings.py").read_text()


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables():
    return set(re.findall(r'env(?:_bool|_list)?\("([A-Z_]+)"', SETTINGS_SOURCE))


def test_services_db_and_web():
    services = compose()["services"]
    assert set(services) == {"db", "web"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_db_has_healthcheck_and_named_volume():
    config = compose()
    db = config["services"]["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in config["volumes"]


def test_web_environment_matches_settings():
    web = compose()["services"]["web"]
    required = {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    assert required <= set(web["environment"])
    # Every variable given to the app is one the settings (or gunicorn) actually read.
    gunicorn_source = (ROOT / "gunicorn.conf.py").read_text()
    for name in web["environment"]:
        assert name in settings_variables() or name in gunicorn_source, name
    assert settings_variables() >= required


def test_web_database_url_points_at_db_service():
    config = compose()
    url = config["services"]["web"]["environment"]["DATABASE_URL"]
    db_env = config["services"]["db"]["environment"]
    expected = (
        f"postgresql://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}"
        f"@db:5432/{db_env['POSTGRES_DB']}"
    )
    assert url == expected


def test_web_runs_migrations_then_gunicorn():
    command = compose()["services"]["web"]["command"]
    assert command.index("migrate") < command.index("gunicorn")
    assert "gthread" in (ROOT / "gunicorn.conf.py").read_text()
