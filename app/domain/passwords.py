"""The password policy (MLPS 2.0 level 3 / ASVS L2): plain rules, Chinese messages, no Flask.

A password is accepted when it is at least MIN_LENGTH characters long, uses at least
MIN_CLASSES of the four character classes (upper case, lower case, digits, symbols), and
does not contain the user's own username.
"""
from __future__ import annotations

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_CLASSES = 3

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")

POLICY_TEXT = (f"密码长度 {MIN_LENGTH}～{MAX_LENGTH} 位，至少包含大写字母、小写字母、数字、符号中的"
               f"{MIN_CLASSES}类，且不能包含用户名。")


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses. Letters outside ASCII (e.g. 汉字) count as symbols."""
    classes = set()
    for ch in password:
        if "A" <= ch <= "Z":
            classes.add("大写字母")
        elif "a" <= ch <= "z":
            classes.add("小写字母")
        elif ch.isdigit():
            classes.add("数字")
        elif not ch.isspace():
            classes.add("符号")
    return classes


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Every reason the password breaks the policy, in Chinese; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少 {MIN_LENGTH} 位")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码不能超过 {MAX_LENGTH} 位")
    if len(character_classes(password)) < MIN_CLASSES:
        problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少{MIN_CLASSES}类")
    if username and len(username) >= 3 and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    return problems
