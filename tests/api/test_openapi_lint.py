"""The OpenAPI document keeps the NL GOV API Design Rules: Spectral (npm, package-lock.json) lints it with
the ruleset in the repository (.spectral.yaml); an error or a warning fails. A doctored document shows the
rules bite."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.parts import missing_part

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"


def lint(document: dict, directory: Path) -> subprocess.CompletedProcess:
    if not SPECTRAL.exists():
        missing_part("Spectral is missing: npm ci (package-lock.json has @stoplight/spectral-cli)")
    path = directory / "openapi.json"
    path.write_text(json.dumps(document))
    command = [str(SPECTRAL), "lint", str(path), "--ruleset", str(ROOT / ".spectral.yaml"), "--fail-severity", "warn"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def document(client):
    return json.loads(client.get("/api/v1/openapi.json").content)


def test_the_document_passes_the_ruleset(document, tmp_path):
    result = lint(document, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_ruleset_fails_a_document_against_the_rules(document, tmp_path):
    document["paths"]["/api/v1/newcomer/"] = document["paths"].pop("/api/v1/newcomers")
    document["components"]["schemas"]["Newcomer"]["properties"]["start_date"] = {"type": "string"}
    del document["components"]["responses"]["NotFound"]["content"]
    result = lint(document, tmp_path)
    assert result.returncode != 0
    for rule in ("nlgov-paths-plural-no-trailing-slash", "nlgov-properties-camel-case", "nlgov-problem-responses"):
        assert rule in result.stdout
