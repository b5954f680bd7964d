import re

import pytest
import yaml
from django.core.management import call_command

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_schema_builds_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 40
    for path, method, operation in operations:
        assert operation.get("summary") or operation.get("description"), (path, method)
        responses = operation["responses"]
        assert {"401", "403", "429"} <= set(responses), (path, method)
        for status, response in responses.items():
            if status.startswith("4"):
                content = response["content"]["application/json"]
                assert content["schema"]["$ref"] == "#/components/schemas/Error" or (
                    "/imports/" in path and status == "400"
                )
                assert content.get("examples"), (path, method, status)


def test_the_docs_are_served_offline(client):
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200
    html = swagger.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    # Every asset comes from this application: no absolute or protocol-relative URL.
    assets = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
    assert assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    redoc = client.get("/api/redoc/")
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc.content.decode()
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )


def test_the_schema_is_served_as_json():
    answer = client_for().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    assert answer.json()["info"]["title"] == "probono API"
