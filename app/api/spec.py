"""Declaring an endpoint once: its route, roles, query, body and response models.

`@operation(...)` registers the Flask route, checks the token's role, validates the path,
query and body with the pydantic models of app/api/schemas.py, and records the operation;
`openapi()` builds /api/v1/openapi.json from those same records and models. Nothing about
the API is written down twice.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import Any, Callable

from flask import Blueprint, g, jsonify, request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from app.auth.access import PUBLIC
from app.models import ROLES

from . import schemas as S
from .errors import ApiError, from_validation

VERSION = "1.0.0"
PREFIX = "/api/v1"

# Path parameters: their schema, their Chinese description and the Flask converter.
PATH_PARAMETERS = {
    "project_id": ({"type": "integer", "minimum": 1, "maximum": S.MAX_ID}, "项目 ID"),
    "zone_id": ({"type": "integer", "minimum": 1, "maximum": S.MAX_ID}, "开发区 ID"),
    "contact_id": ({"type": "integer", "minimum": 1, "maximum": S.MAX_ID}, "对接记录 ID"),
    "year": ({"type": "integer", "minimum": 2000, "maximum": 2100}, "年度"),
    "month": ({"type": "integer", "minimum": 1, "maximum": 12}, "月份"),
    "bulletin_id": ({"type": "integer", "minimum": 1, "maximum": S.MAX_ID}, "通报 ID"),
}

TAGS = [
    {"name": "账号", "description": "令牌对应的用户"},
    {"name": "开发区", "description": "开发区及其在职领导"},
    {"name": "项目", "description": "项目台账：查询、录入、修改、阶段变更"},
    {"name": "对接记录", "description": "领导对接项目的记录"},
    {"name": "进度", "description": "年度目标完成进度（与 flask progress --json 相同）"},
    {"name": "目标", "description": "年度目标与汇率"},
    {"name": "到位资金", "description": "项目的到位资金（逐笔登记）与承诺金额对照"},
    {"name": "月度指标", "description": "开发区按月报送的营业收入与实际使用外资"},
    {"name": "月度通报", "description": "已签发的月度通报：各开发区的名次、得分与进退位，按通报公布"},
    {"name": "说明文档", "description": "本 API 的 OpenAPI 描述"},
]


@dataclass
class Operation:
    method: str
    path: str
    endpoint: str
    summary: str
    description: str
    tag: str
    roles: tuple[str, ...] | str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    path_parameters: list[str] = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.roles == PUBLIC


OPERATIONS: list[Operation] = []


def operation(bp: Blueprint, method: str, path: str, *, summary: str, tag: str, roles, response=None,
              query=None, body=None, status: int = 200, description: str = "", conflict: bool = False,
              not_found: bool = False) -> Callable:
    """Declare and register one endpoint. The view is called with the path arguments and,
    when declared, `query=` and `body=` as validated model instances; it returns a model
    (or a plain dict already in the response model's shape) and optionally headers."""
    parameters = re.findall(r"{(\w+)}", path)
    rule = re.sub(r"{(\w+)}", r"<int:\1>", path)
    errors = [] if roles == PUBLIC else [401, 403]
    if parameters or not_found:
        errors.append(404)
    if conflict:
        errors.append(409)
    if query is not None or body is not None:
        errors.append(422)
    if body is not None:
        errors += [400, 413]

    def decorator(view):
        @wraps(view)
        def wrapped(**path_args):
            if roles != PUBLIC and g.api_user.role not in roles:
                raise ApiError("forbidden")
            for name, value in path_args.items():
                schema = PATH_PARAMETERS[name][0]
                if not schema["minimum"] <= value <= schema["maximum"]:
                    raise ApiError("not_found")
            kwargs = dict(path_args)
            if query is not None:
                kwargs["query"] = _validate(lambda: query.model_validate(_query_args()), in_query=True)
            if body is not None:
                kwargs["body"] = _validate(lambda: body.model_validate_json(request.get_data()))
            result = view(**kwargs)
            headers = {}
            if isinstance(result, tuple):
                result, headers = result
            payload = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
            response = jsonify(payload)
            response.status_code = status
            response.headers.update(headers)
            return response

        wrapped.allowed_roles = roles
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        OPERATIONS.append(Operation(method.lower(), path, view.__name__, summary, description, tag, roles,
                                    query, body, response, status, tuple(sorted(set(errors))), parameters))
        return wrapped
    return decorator


def _validate(parse, in_query: bool = False):
    try:
        return parse()
    except ValidationError as error:
        raise from_validation(error, in_query) from None


def _query_args() -> dict:
    """Each parameter once: a repeated one is refused rather than one of its values picked."""
    args = {}
    for name, values in request.args.lists():
        if len(values) > 1:
            raise ApiError("validation_error", fields={name: "该查询参数只能出现一次"})
        args[name] = values[0]
    return args


# ---------------------------------------------------------------- the document

ERROR_DESCRIPTIONS = {status: f"{code}：{text}" for code, (status, text) in S.ERROR_CODES.items()}
STATUS_DESCRIPTIONS = {200: "成功", 201: "已创建"}


@cache
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built from OPERATIONS and the models they name."""
    wanted = [(model, "validation") for op in OPERATIONS for model in (op.body,) if model]
    wanted += [(model, "serialization") for op in OPERATIONS for model in (op.response,) if model]
    wanted.append((S.Error, "serialization"))
    wanted = list(dict.fromkeys(wanted))
    refs, definitions = models_json_schema(wanted, ref_template="#/components/schemas/{model}",
                                           schema_generator=_InOrder)
    components = _clean(definitions.get("$defs", {}))

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        item: dict[str, Any] = {
            "operationId": op.endpoint,
            "summary": op.summary,
            "tags": [op.tag],
            "x-roles": list(op.roles) if not op.public else [],
            "parameters": _path_parameters(op) + _query_parameters(op),
            "responses": {},
        }
        item["description"] = _description(op)
        if op.public:
            item["security"] = []
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": _clean(refs[(op.body, "validation")])}}}
        success: dict[str, Any] = {"description": STATUS_DESCRIPTIONS.get(op.status, "成功")}
        if op.response is not None:
            success["content"] = {"application/json": {"schema": _clean(refs[(op.response, "serialization")])}}
        if op.status == 201:
            success["headers"] = {"Location": {"description": "新资源的地址", "schema": {"type": "string"}}}
        item["responses"][str(op.status)] = success
        for status in op.errors:
            item["responses"][str(status)] = {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        if not item["parameters"]:
            del item["parameters"]
        paths.setdefault(op.path, {})[op.method] = item

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "开发区招商引资管理系统 API",
            "version": VERSION,
            "description": (
                "开发区招商引资管理系统（ZoneCRM）的 JSON API。认证：在“API 令牌”页面创建个人令牌，"
                "在请求头中发送 Authorization: Bearer <令牌>；角色与开发区范围与网页相同。"
                "金额为十进制字符串（单位元，最多两位小数），日期为 ISO 8601（YYYY-MM-DD）。"
                "错误以 JSON 返回：{\"error\": {\"code\", \"message\", \"fields\"}}。"),
        },
        "servers": [{"url": PREFIX}],
        "tags": TAGS,
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer", "bearerFormat": "zcrm_…",
                "description": "个人 API 令牌：登录后在“API 令牌”页面创建，只显示一次。"}},
        },
    }


class _InOrder(GenerateJsonSchema):
    """Keys as the models declare them (pydantic sorts examples alphabetically otherwise)."""

    def sort(self, value, parent_key=None):
        return value


def _description(op: Operation) -> str:
    who = "无需令牌" if op.public else "可用角色：" + "、".join(ROLES[r] for r in op.roles)
    return f"{op.description}\n\n{who}。" if op.description else f"{who}。"


def _path_parameters(op: Operation) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "description": PATH_PARAMETERS[name][1],
             "schema": dict(PATH_PARAMETERS[name][0])} for name in op.path_parameters]


def _query_parameters(op: Operation) -> list[dict]:
    if op.query is None:
        return []
    schema = op.query.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = _clean(prop)
        description = prop.pop("description", "")
        prop.pop("default", None)
        # A query parameter is absent or a value; it is never JSON null.
        options = [p for p in prop.pop("anyOf", []) if p.get("type") != "null"]
        if options:
            prop.update(options[0])
        parameters.append({"name": name, "in": "query", "required": name in required,
                           "description": description, "schema": prop})
    return parameters


def _clean(schema: Any) -> Any:
    """A copy without pydantic's English titles (the document's words are Chinese)."""
    if isinstance(schema, dict):
        return {k: _clean(v) for k, v in schema.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(schema, list):
        return [_clean(v) for v in schema]
    return copy.copy(schema)
