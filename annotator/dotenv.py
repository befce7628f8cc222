"""The project's `.env` file (written by `make`): KEY=VALUE lines, read without Django."""

from pathlib import Path


def read_dotenv(path: Path) -> dict[str, str]:
    """{KEY: value}; no interpolation, one pair of surrounding quotes stripped."""
    values = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip().strip("\"'")
    return values
