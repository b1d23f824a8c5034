"""Which characters text typed into the app may hold. No Flask.

C0 control characters (U+0000–U+001F) break PostgreSQL (NUL), Excel exports and logs;
only tab, line feed and carriage return are allowed, where text allows them at all.
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MESSAGE = "含有不可见的控制字符（如 NUL），请删除后重新输入"


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def first_bad_value(values) -> str | None:
    """The name of the first (name, value) pair, among nested lists and dicts, whose name or
    text holds a control character; None when all are clean."""
    stack = list(values)
    while stack:
        name, value = stack.pop()
        if isinstance(name, str) and has_control_characters(name):
            return "参数名"
        if isinstance(value, str):
            if has_control_characters(value):
                return name
        elif isinstance(value, dict):
            stack.extend((k if isinstance(k, str) else name, v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((name, v) for v in value)
    return None
