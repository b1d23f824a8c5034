"""The readable API page (/api): rendered from the same OpenAPI document the API serves,
so it cannot describe an endpoint, field or error differently from what the API checks."""
from __future__ import annotations

import json
from typing import Any

from flask import render_template, request, url_for

from app.auth.access import public
from app.models import ROLES

from . import docs_bp
from . import schemas as S
from .spec import PREFIX, openapi

METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


@docs_bp.route("/api")
@public
def index():
    spec = openapi()
    components = spec["components"]["schemas"]
    operations = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            operations.append(_operation(path, method, op, components))
    tags = []
    for tag in spec["tags"]:
        ops = [o for o in operations if o["tag"] == tag["name"]]
        ops.sort(key=lambda o: (o["path"], METHOD_ORDER[o["method"]]))
        if ops:
            tags.append({"name": tag["name"], "description": tag["description"], "operations": ops})
    models = [_model(name, schema, components) for name, schema in components.items()]
    base_url = request.url_root.rstrip("/") + PREFIX
    errors = [{"code": code, "status": status, "meaning": meaning} for code, (status, meaning) in S.ERROR_CODES.items()]
    return render_template("api/docs.html", tags=tags, models=models, model_names={m["name"] for m in models},
                           errors=errors, base_url=base_url,
                           version=spec["info"]["version"], amount_pattern=S.AMOUNT_PATTERN,
                           error_example=_json(components["Error"]["examples"][0]),
                           openapi_url=url_for("api.openapi_document"))


def _operation(path: str, method: str, op: dict, components: dict) -> dict:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    responses = []
    for status, response in op["responses"].items():
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        name = _ref_name(schema)
        responses.append({"status": status, "description": response["description"], "model": name,
                          "example": _json(components[name]["examples"][0])
                          if name and name != "Error" and "examples" in components[name] and int(status) < 400 else None})
    body_name = _ref_name(body)
    return {
        "id": op["operationId"], "method": method, "path": path, "url": PREFIX + path, "summary": op["summary"],
        "description": op.get("description", ""), "tag": op["tags"][0],
        "roles": [ROLES[r] for r in op.get("x-roles", [])], "public": op.get("security") == [],
        "parameters": [{"name": p["name"], "in": "路径" if p["in"] == "path" else "查询",
                        "required": p["required"], "type": _type(p["schema"], components),
                        "description": p.get("description", "")} for p in op.get("parameters", [])],
        "body": body_name,
        "body_example": _json(components[body_name]["examples"][0])
        if body_name and "examples" in components[body_name] else None,
        "responses": responses,
    }


def _model(name: str, schema: dict, components: dict) -> dict:
    required = set(schema.get("required", ()))
    fields = []
    for field, prop in schema.get("properties", {}).items():
        fields.append({"name": field, "type": _type(prop, components), "required": field in required,
                       "description": prop.get("description", ""),
                       "default": _json(prop["default"], indent=None) if "default" in prop else None})
    return {"name": name, "description": _model_description(schema), "fields": fields}


def _model_description(schema: dict) -> str:
    # pydantic puts class docstrings (English, for developers) into descriptions: keep only Chinese ones.
    text = schema.get("description", "")
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


def _ref_name(schema: Any) -> str | None:
    if isinstance(schema, dict) and "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    return None


def _type(schema: dict, components: dict) -> str:
    """A schema in a few Chinese words: what a reader needs to send or expect."""
    if "$ref" in schema:
        return _ref_name(schema)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        text = " 或 ".join(_type(s, components) for s in options)
        return text + "，或 null" if len(options) < len(schema["anyOf"]) else text
    if "enum" in schema:
        return "取值：" + "、".join(str(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        if schema.get("pattern") == S.AMOUNT_PATTERN:
            return "金额字符串（元，最多两位小数）"
        if schema.get("pattern") == S.RATE_PATTERN:
            return "汇率字符串（最多六位小数）"
        if schema.get("format") == "date":
            return "日期（YYYY-MM-DD）"
        if schema.get("format") == "date-time":
            return "时间（ISO 8601，UTC）"
        limits = []
        if schema.get("minLength"):
            limits.append(f"至少 {schema['minLength']} 字")
        if "maxLength" in schema:
            limits.append(f"最多 {schema['maxLength']} 字")
        return "字符串" + (f"（{'，'.join(limits)}）" if limits else "")
    if kind == "integer":
        if "minimum" in schema and "maximum" in schema:
            return f"整数（{schema['minimum']}～{schema['maximum']}）"
        if "minimum" in schema:
            return f"整数（≥{schema['minimum']}）"
        return "整数"
    if kind == "number":
        return "数值"
    if kind == "boolean":
        return "布尔值（true/false）"
    if kind == "array":
        text = "数组，元素为 " + _type(schema.get("items", {}), components)
        if "maxItems" in schema:
            text += f"，最多 {schema['maxItems']} 项"
        return text
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            return "对象（键 → " + _type(values, components) + "）"
        return "对象"
    return "任意"


def _json(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)
