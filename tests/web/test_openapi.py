"""The API's OpenAPI 3.1 description: valid, complete, and true of a live server (Schemathesis)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kb.config import Settings
from tests.serving import serving

# Bounded so that the run stays short and never flaky: a few dozen generated requests per operation.
EXAMPLES_PER_OPERATION = 50


def test_the_description_is_valid_openapi_3_1(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises with the first problem found


def test_every_api_route_is_described_with_its_error_shape(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and "path:" not in rule.rule}  # fmt: skip
    assert routes == set(document["paths"])
    for path, item in document["paths"].items():
        for status, answer in item["get"]["responses"].items():
            if status.startswith(("4", "5")):
                assert answer["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
        if path != "/api/openapi.json":
            assert "503" in item["get"]["responses"], path


def test_the_about_page_links_the_description(client: FlaskClient) -> None:
    assert 'href="/api/openapi.json"' in client.get("/about").get_data(as_text=True)


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_live_server_answers_every_operation_as_described(web_settings: Settings, tmp_path: Path) -> None:
    """Schemathesis generates requests for every operation from the description and checks each answer: no 5xx,
    a documented status and content type, a body valid against its schema, the documented headers present."""
    log = tmp_path / "server.log"
    operations: list[str] = []
    with serving(web_settings, log, workers=2) as base:
        schema = schemathesis.openapi.from_url(base + "/api/openapi.json")
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result  # a part of the description Schemathesis cannot use
            operation = result.ok()
            operations.append(operation.label)

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def answers_as_described(case: Any) -> None:  # a schemathesis Case
                # Schema-valid values may still be refused with the documented 400 (an unknown country, a
                # query past its bounds of 300 characters and 16 terms): no check that valid data gets a 2xx.
                case.call_and_validate(base_url=base, excluded_checks=[positive_data_acceptance])

            answers_as_described()
    # Every operation but the description itself, which Schemathesis leaves out when it loads from it (and which
    # the validator test above covers).
    assert len(operations) == 6, operations
    assert "Traceback" not in log.read_text(encoding="utf-8")
