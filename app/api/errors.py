"""API errors: JSON with a stable code, a Chinese message and, for validation, the fields.

{"error": {"code": "validation_error", "message": "…", "fields": {"summary": "…"}}}
"""
from __future__ import annotations

import re

from flask import jsonify
from pydantic import ValidationError

from .schemas import AMOUNT_PATTERN, ERROR_CODES, LINE_PATTERN, RATE_PATTERN, TEXT_PATTERN

MESSAGES = {
    "bad_request": "请求无法解析：请求体应为 UTF-8 编码的 JSON 对象。",
    "unauthorized": "缺少有效的 API 令牌：请在请求头中提供 Authorization: Bearer <令牌>；令牌可能已撤销或过期，或账号已停用。",
    "forbidden": "您的角色无权进行此操作。",
    "not_found": "资源不存在，或不在您的开发区范围内。",
    "method_not_allowed": "该地址不支持此请求方法。",
    "conflict": "与已有数据冲突。",
    "payload_too_large": "请求体过大。",
    "validation_error": "请求内容有误，请按 fields 逐项修改。",
    "rate_limited": "该令牌的请求过于频繁，请稍后再试（Retry-After 响应头给出需等待的秒数）。",
    "internal_error": "系统内部错误，请稍后重试；如持续出现请联系系统管理员。",
}
CODE_BY_STATUS = {status: code for code, (status, _) in ERROR_CODES.items()}


class ApiError(Exception):
    def __init__(self, code: str, message: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message or MESSAGES[code])
        self.code = code
        self.status = ERROR_CODES[code][0]
        self.message = message or MESSAGES[code]
        self.fields = fields or {}


def error_response(error: ApiError, headers: dict | None = None):
    response = jsonify({"error": {"code": error.code, "message": error.message, "fields": error.fields}})
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ZoneCRM API"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def for_status(status: int) -> ApiError:
    """The API's error for an HTTP error raised outside the API's own code (routing, size)."""
    code = CODE_BY_STATUS.get(status)
    if code is None:
        code = "internal_error" if status >= 500 else "bad_request"
    return ApiError(code)


def field_error(field: str, message: str, code: str = "validation_error") -> ApiError:
    return ApiError(code, message if code == "conflict" else None, {field: message})


def from_validation(error: ValidationError, in_query: bool = False) -> ApiError:
    """Pydantic's errors as field → Chinese reason; a body that is not JSON at all is a 400."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        if item["type"] == "json_invalid":
            return ApiError("bad_request")
        key = ".".join(str(part) for part in item["loc"]) or "body"
        if item["type"] == "extra_forbidden" and in_query:
            fields.setdefault(key, "不支持该查询参数")
            continue
        fields.setdefault(key, _message(item))
    return ApiError("validation_error", fields=fields)


def _message(item: dict) -> str:
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return PATTERN_MESSAGES.get(ctx.get("pattern"), "格式不正确")
    if kind == "literal_error":
        allowed = re.findall(r"'((?:[^'\\]|\\.)*)'", str(ctx.get("expected", "")))
        return "取值应为以下之一：" + "、".join(allowed) if allowed else "取值无效"
    if kind in ("string_too_short", "too_short"):
        n = ctx.get("min_length", 1)
        return ("不能为空" if n == 1 else f"至少 {n} 个字符") if kind == "string_too_short" else f"至少 {n} 项"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "应为 JSON 对象"
    if kind.startswith(("date", "datetime")):
        return "应为 ISO 8601 日期（YYYY-MM-DD）"
    if kind in ("query_int", "query_date", "usci", "future_date"):
        return item["msg"]
    return SIMPLE_MESSAGES.get(kind, "取值无效")


PATTERN_MESSAGES = {
    AMOUNT_PATTERN: "应为金额字符串（单位元，最多两位小数），例如 \"150000000.00\"",
    RATE_PATTERN: "应为汇率字符串，最多六位小数，例如 \"7.100000\"",
    LINE_PATTERN: "不能包含换行或其他控制字符",
    TEXT_PATTERN: "不能包含控制字符",
}
SIMPLE_MESSAGES = {
    "missing": "必须填写",
    "extra_forbidden": "不支持该字段",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为数组",
    "none_required": "应为 null",
}
