"""The OpenAPI description and the API page: one source with the endpoints' validation."""
import json
import re

import schemathesis

import app.api.schemas as S
from app.api.spec import OPERATIONS


def cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_document_lists_exactly_the_registered_api_routes(client, app):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    documented = {(method.upper(), "/api/v1" + path.replace("{", "<").replace("}", ">"))
                  for path, item in doc["paths"].items() for method in item}
    registered = {(method, re.sub(r"<int:(\w+)>", r"<\1>", rule.rule))
                  for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == registered


def test_each_operation_documents_the_models_its_endpoint_validates_with(client):
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]
    for op in OPERATIONS:
        item = doc["paths"][op.path][op.method]
        if op.body is not None:
            ref = item["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == f"#/components/schemas/{op.body.__name__}"
            assert set(schemas[op.body.__name__]["properties"]) == set(op.body.model_fields)
        if op.query is not None:
            names = {p["name"] for p in item["parameters"] if p["in"] == "query"}
            assert names == {f.alias or name for name, f in op.query.model_fields.items()}
        if op.response is not None:
            ref = item["responses"][str(op.status)]["content"]["application/json"]["schema"]["$ref"]
            assert ref == f"#/components/schemas/{op.response.__name__}"
        for status in op.errors:
            assert item["responses"][str(status)]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}
        assert cjk(item["summary"]) and cjk(item["description"])


def test_amounts_are_decimal_strings_and_dates_iso_in_the_document(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    amount_fields = ["total_investment_cny", "foreign_capital_amount", "threshold_amount"]
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            assert all(o.get("type") != "number" for o in options) or field == "expected_share", (name, field)
            if field in amount_fields:
                assert any(o.get("type") == "string" and o.get("pattern") == S.AMOUNT_PATTERN
                           for o in options), (name, field)
            if field.endswith("_on") or field == "as_of":
                assert any(o.get("format") == "date" for o in options), (name, field)


def test_the_examples_in_the_document_are_valid_requests_and_responses(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    checked = 0
    for model in S.MODELS:
        for example in schemas[model.__name__].get("examples", []):
            if issubclass(model, S.Body):
                model.model_validate_json(json.dumps(example))
            else:
                model.model_validate(example)
            checked += 1
    assert checked >= 8


def test_schemathesis_loads_the_document_and_finds_every_operation(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    # It leaves out the operation that serves the document itself (tests/api/test_fuzz.py asks for it).
    assert operations == {(op.method.upper(), op.path) for op in OPERATIONS} - {("GET", "/openapi.json")}


def test_the_api_page_reads_in_chinese_from_the_same_document(client, world, login):
    page = client.get("/api").get_data(as_text=True)
    for op in OPERATIONS:
        assert f"/api/v1{op.path}" in page and op.summary in page
    for code in S.ERROR_CODES:
        assert f"<code>{code}</code>" in page
    assert "Authorization: Bearer" in page and 'href="/tokens"' in page and "只显示这一次" in page
    assert "total_investment_cny" in page and "&#34;1500000000.00&#34;" in page  # request example, escaped
    assert 'href="/api/v1/openapi.json"' in page
    # Nothing from outside and no inline script: the CSP allows only the app's own files.
    assert re.findall(r'<script[^>]*>', page) == ['<script src="/static/js/app.js" defer>']
    assert not re.search(r'(src|href)="(https?:)?//', page)
    login(world.leader)
    signed_in = client.get("/api")
    assert signed_in.status_code == 200 and "Content-Security-Policy" in signed_in.headers
    # Leaders do not use the API: the header offers API 令牌 to staff, not to them (issue 15).
    assert 'href="/tokens">API 令牌</a>' not in client.get("/").get_data(as_text=True)
    login(world.staff)
    assert 'href="/tokens">API 令牌</a>' in client.get("/").get_data(as_text=True)
