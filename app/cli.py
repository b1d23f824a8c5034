"""The flask commands operators use: progress, zones, users, targets, demo-data (and the ledger
import commands of app/imports/cli.py)."""
from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from . import audit
from .domain.pacing import one_decimal
from .domain.targets import TIERS
from .extensions import db
from .models import ROLES, ZONE_KINDS, ZONE_LEVELS, ZONE_ROLES, User, Zone
from .progress import build_progress
from .reference import load_target_set

zones_cli = AppGroup("zones", help="开发区管理")
users_cli = AppGroup("users", help="用户管理")
targets_cli = AppGroup("targets", help="年度目标")


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(2)


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是 YYYY-MM-DD 格式的日期") from None


@click.command("progress")
@click.option("--year", type=int, default=lambda: date.today().year, help="年度")
@click.option("--as-of", "as_of", callback=_iso_date, help="截至日期 YYYY-MM-DD，默认今天或年末")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def progress_command(year, as_of, as_json):
    """各开发区与领导的目标完成进度。"""
    as_of = as_of or min(date.today(), date(year, 12, 31))
    progress = build_progress(year, as_of)
    if as_json:
        click.echo(json.dumps(progress.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年 截至{as_of.isoformat()} 序时进度 {one_decimal(progress.share * 100)}%")
    for tier in TIERS:
        for z in progress.zones_in_tier(tier):
            cells = "  ".join(f"{m.label} {m.actual}/{m.floor}{'' if m.pace.on_pace else '(落后)'}" for m in z.metrics)
            click.echo(f"[{tier}类第{z.rank_in_tier}名] {z.name}({z.code})  {cells}")
    for m in progress.city:
        click.echo(f"全市{m.label}：{m.actual}/{m.floor}")


@zones_cli.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--tier", type=click.Choice(list(TIERS)), required=True, help="分类 A/B/C")
@click.option("--kind", type=click.Choice(ZONE_KINDS), default="其他")
@click.option("--level", type=click.Choice(ZONE_LEVELS), default="省级")
@click.option("--county", default="")
def zones_add(code, name, tier, kind, level, county):
    """新增开发区。"""
    if db.session.scalar(select(Zone).where(Zone.code == code)):
        _fail(f"开发区代码“{code}”已存在")
    if db.session.scalar(select(Zone).where(Zone.name == name)):
        _fail(f"开发区名称“{name}”已存在")
    zone = Zone(code=code, name=name, tier=tier, kind=kind, level=level, county=county)
    db.session.add(zone)
    db.session.flush()
    audit.record("create", "zone", zone.id, after={"code": code, "name": name, "tier": tier})
    db.session.commit()
    click.echo(f"已新增开发区 {name}（{code}，{tier}类）")


@zones_cli.command("list")
def zones_list():
    """列出开发区。"""
    for z in db.session.scalars(select(Zone).order_by(Zone.tier, Zone.code)):
        click.echo(f"{z.code}\t{z.name}\t{z.tier}类\t{z.kind}\t{z.county}")


@users_cli.command("add")
@click.argument("username")
@click.option("--name", required=True, help="显示名")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--zone", "zone_code", help="开发区代码（开发区领导、招商专员必填）")
@click.option("--password", required=True)
def users_add(username, name, role, zone_code, password):
    """新增用户。"""
    if db.session.scalar(select(User).where(User.username == username)):
        _fail(f"用户名“{username}”已存在")
    zone = None
    if role in ZONE_ROLES:
        if not zone_code:
            _fail(f"{ROLES[role]}必须指定所属开发区（--zone）")
        zone = db.session.scalar(select(Zone).where(Zone.code == zone_code))
        if zone is None:
            _fail(f"开发区代码“{zone_code}”不存在")
    elif zone_code:
        _fail(f"{ROLES[role]}不属于某个开发区，请勿指定 --zone")
    if len(password) < 8:
        _fail("密码至少 8 位")
    user = User(username=username, name=name, role=role, zone=zone)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("create", "user", user.id, zone_id=zone.id if zone else None,
                 after={"username": username, "role": role, "zone": zone_code})
    db.session.commit()
    click.echo(f"已新增用户 {username}（{name}，{ROLES[role]}）")


@users_cli.command("list")
def users_list():
    """列出用户。"""
    for u in db.session.scalars(select(User).order_by(User.role, User.username)):
        click.echo(f"{u.username}\t{u.name}\t{ROLES[u.role]}\t{u.zone.code if u.zone else ''}")


@targets_cli.command("init")
@click.option("--year", type=int, required=True)
@click.option("--copy-from", "source", type=int, help="复制该年度的目标与汇率；不填则载入2024年工作要点")
def targets_init(year, source):
    """为某年度建立目标（空年度才会写入）。"""
    if load_target_set(year, source):
        db.session.commit()
        click.echo(f"已建立{year}年度目标")
    else:
        click.echo(f"{year}年度已有目标，未作改动")


@click.command("demo-data")
@click.option("--today", callback=_iso_date, help="以该日为“今天”生成（测试用）")
def demo_data(today):
    """载入演示数据（已载入时不重复写入）。"""
    from .demo import load_demo
    created = load_demo(today or date.today())
    if created:
        click.echo("演示数据已载入。")
    else:
        click.echo("演示数据已存在，未作改动。")


@click.command("recount")
@click.option("--year", type=int)
def recount(year):
    """按对接记录重建领导对接项目汇总表。"""
    from .contacts.service import recount_leader_projects
    recount_leader_projects(year)
    db.session.commit()
    click.echo("已重建领导对接汇总。")


def register_cli(app: Flask) -> None:
    from .imports.cli import COMMANDS as import_commands
    for command in (progress_command, demo_data, recount, zones_cli, users_cli, targets_cli, *import_commands):
        app.cli.add_command(command)
