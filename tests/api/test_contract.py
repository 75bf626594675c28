"""Contract fuzzing from the OpenAPI schema (schemathesis): requests generated for every operation the schema
lists never get a 500, and every answer has a status the schema documents and, when JSON, the envelope.

Schemathesis' pytest plugin (`from_fixture`) does not run under this pytest, so the test walks the operations
itself: one hypothesis run per operation, a fixed derandomised budget, failures collected and shown together."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from nearshore.api.app import create_app
from nearshore.settings import Settings
from tests.api.conftest import api_env

EXAMPLES = 6
TIMEOUT = 120  # seconds per call: a slow call on a busy shared machine is not a failure here


@pytest.fixture(scope="module")
def schema(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    home = tmp_path_factory.mktemp("contract")
    env = api_env(home, seeded_store, NEARSHORE_API_RATE_IP="10000000")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        yield schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings.load(), warm=False))


def _problem(case: Any) -> str | None:
    """What is wrong with the answer to one generated request, or None."""
    where = f"{case.method} {case.formatted_path}"
    response = case.call(timeout=TIMEOUT)
    if response.status_code >= 500 and response.status_code != 503:
        return f"{where}: {response.status_code} {response.text[:300]}"
    if response.status_code == 304:
        return None
    try:
        case.validate_response(response, checks=[status_code_conformance])
    except Exception as exc:  # schemathesis raises a group of failures
        return f"{where}: {exc}"
    if response.headers.get("content-type", [""])[0].startswith("application/json") and "ok" not in response.json():
        return f"{where}: a JSON answer without the envelope: {response.text[:300]}"
    return None


def test_no_generated_request_gets_a_500(schema: Any) -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40, "the schema lists every routed service"
    problems: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case: Any) -> None:
            problem = _problem(case)
            if problem is not None and len(problems) < 20:
                problems.append(problem)

        run()
    assert not problems, "\n".join(problems)
