"""The flask commands operators use: progress, report, zones, users, targets, audit, backup, restore,
demo-data (and the ledger import commands of app/imports/cli.py)."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from . import audit
from .domain.pacing import one_decimal
from .domain.period import PeriodError, date_range, reporting_period
from .domain.targets import TIERS
from .extensions import db
from .models import ROLES, ZONE_KINDS, ZONE_LEVELS
from .queries.ledger import all_zones, user_by_username, zone_by_code
from .queries.progress import build_progress
from .queries.reference import all_users
from .services.reference import ReferenceDataError, load_target_set, save_zone
from . import clock

zones_cli = AppGroup("zones", help="开发区管理")
users_cli = AppGroup("users", help="用户管理")
targets_cli = AppGroup("targets", help="年度目标")
audit_cli = AppGroup("audit", help="审计日志")
report_cli = AppGroup("report", help="打印报告（PDF）")
notify_cli = AppGroup("notify", help="通知与提醒")


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(2)


def _period(year: int | None, as_of: date | None) -> tuple[int, date]:
    try:
        return reporting_period(year, as_of, clock.today())
    except PeriodError as error:
        _fail(str(error))


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是 YYYY-MM-DD 格式的日期") from None


@click.command("progress")
@click.option("--year", type=int, help="年度，默认截至日期所在年度或今年")
@click.option("--as-of", "as_of", callback=_iso_date, help="截至日期 YYYY-MM-DD，默认今天或年末")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--province", default=None, help="只看该省份的开发区（按类别在省内排名）")
def progress_command(year, as_of, as_json, province):
    """各开发区与领导的目标完成进度。"""
    year, as_of = _period(year, as_of)
    if province is not None:
        from .queries.provinces import provinces
        province = province.strip()
        if province not in provinces():
            _fail(f"没有所属省份为“{province}”的开发区；可用 flask zones list 查看")
    progress = build_progress(year, as_of, province)
    from .queries.reference import has_targets
    missing = None if has_targets(year) else f"{year}年度目标尚未设置，以下任务数和目标均为 0；请先用 flask targets init 建立该年度目标。"
    if as_json:
        click.echo(json.dumps(progress.to_dict(), ensure_ascii=False, indent=2))
        if missing:
            click.echo(missing, err=True)
        return
    if missing:
        click.echo(missing)
    click.echo(f"{year}年 截至{as_of.isoformat()} 序时进度 {one_decimal(progress.share * 100)}%")
    for tier in TIERS:
        for z in progress.zones_in_tier(tier):
            cells = "  ".join(f"{m.label} {m.actual}/{m.floor}{'' if m.pace.on_pace else '(落后)'}" for m in z.metrics)
            click.echo(f"[{tier}类第{z.rank_in_tier}名] {z.name}({z.code})  {cells}")
    for m in progress.city:
        click.echo(f"{'全市' if province is None else '本省'}{m.label}：{m.actual}/{m.floor}")


@zones_cli.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--tier", type=click.Choice(list(TIERS)), required=True, help="分类 A/B/C")
@click.option("--kind", type=click.Choice(ZONE_KINDS), default="其他")
@click.option("--level", type=click.Choice(ZONE_LEVELS), default="省级")
@click.option("--county", default="")
@click.option("--province", default="", help="所属省份（全国部署时填写；单一城市可留空）")
def zones_add(code, name, tier, kind, level, county, province):
    """新增开发区。"""
    try:
        save_zone(None, {"code": code, "name": name, "tier": tier, "kind": kind, "level": level,
                         "county": county, "province": province.strip()}, clock.today().year, None)
    except ReferenceDataError as error:
        db.session.rollback()
        _fail(str(error))
    db.session.commit()
    click.echo(f"已新增开发区 {name}（{code}，{tier}类）")


@zones_cli.command("list")
def zones_list():
    """列出开发区。"""
    for z in all_zones():
        click.echo(f"{z.code}\t{z.name}\t{z.tier}类\t{z.kind}\t{z.province}{z.county}")


@users_cli.command("add")
@click.argument("username")
@click.option("--name", required=True, help="显示名")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--zone", "zone_code", help="开发区代码（开发区领导、招商专员必填）")
@click.option("--password", required=True)
def users_add(username, name, role, zone_code, password):
    """新增用户（用户首次登录须修改密码）。"""
    from .services.users import PasswordPolicyError, AccountError, create_user
    zone = None
    if zone_code:
        zone = zone_by_code(zone_code)
        if zone is None:
            _fail(f"开发区代码“{zone_code}”不存在")
    try:
        create_user(username, name, role, zone, password, by=None)
    except (AccountError, PasswordPolicyError) as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"已新增用户 {username}（{name}，{ROLES[role]}），首次登录时须修改密码")


@users_cli.command("reset-password")
@click.argument("username")
@click.option("--password", required=True, help="临时密码；用户下次登录时须修改")
def users_reset_password(username, password):
    """重置用户密码（用户下次登录须修改，所有已登录会话退出）。"""
    from .services.users import PasswordPolicyError, reset_password
    user = user_by_username(username)
    if user is None:
        _fail(f"用户名“{username}”不存在")
    try:
        reset_password(user, password, by=None)
    except PasswordPolicyError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"已重置用户 {username} 的密码，下次登录时须修改。")


@users_cli.command("list")
def users_list():
    """列出用户。"""
    for u in all_users():
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


@audit_cli.command("purge")
@click.option("--before", callback=_iso_date, required=True, help="删除该日期 0 时（YYYY-MM-DD，系统时区，默认北京时间）之前的审计记录")
def audit_purge(before):
    """清理超过保存期限（至少 180 天）的审计记录；这是删除审计记录的唯一途径，且本身留痕。"""
    from .audit import purge_before
    from .domain.retention import RetentionError
    try:
        deleted = purge_before(before, clock.today())
    except RetentionError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"已清理 {before.isoformat()} 之前的审计记录 {deleted} 条。")


@audit_cli.command("verify")
def audit_verify():
    """逐条核对审计记录的哈希链，报告第一处断裂（记录被修改、删除或插入）。"""
    from .queries.audit_chain import verify_chain
    verdict = verify_chain()
    audit.record("audit_verify", "audit_event", None, after={
        "checked": verdict.checked, "ok": verdict.broken is None,
        "broken_at": verdict.broken.seq if verdict.broken else None})
    db.session.commit()
    if verdict.broken is not None:
        click.echo(f"审计链断裂：{verdict.broken.message}。此前 {verdict.checked} 条记录完好。", err=True)
        sys.exit(1)
    click.echo(f"审计链完整：共核对 {verdict.checked} 条记录，链尾第 {verdict.last_seq} 条，"
               f"哈希 {verdict.last_hash}（请另行保存此值，以便日后核对末尾记录未被整体删除）。")


@click.command("demo-data")
@click.option("--today", callback=_iso_date, help="以该日为“今天”生成（测试用）")
def demo_data(today):
    """载入演示数据（已载入时不重复写入）。"""
    from flask import current_app

    from .demo import load_demo
    from .demo_guard import DEMO_REFUSED
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(DEMO_REFUSED)
    created = load_demo(today or clock.today())
    if created:
        click.echo("演示数据已载入。")
    else:
        click.echo("演示数据已存在，未作改动。")


@click.command("recount")
@click.option("--year", type=int)
def recount(year):
    """按对接记录重建领导对接项目汇总表。"""
    from .services.contacts import recount_leader_projects
    recount_leader_projects(year)
    db.session.commit()
    click.echo("已重建领导对接汇总。")


def _write(out, data: bytes) -> None:
    try:
        with open(out, "wb") as handle:
            handle.write(data)
    except OSError as error:
        _fail(f"无法写入 {out}：{error.strerror}")


@report_cli.command("monthly")
@click.option("--year", type=int, required=True, help="年度")
@click.option("--month", type=int, required=True, help="月份 1-12")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出 PDF 文件")
@click.option("--issued-on", "issued_on", callback=_iso_date, help="成文日期 YYYY-MM-DD，默认今天")
@click.option("--issue", is_flag=True, help="同时签发存档（记入审计日志）")
def report_monthly(year, month, out, issued_on, issue):
    """月度通报：截至该月最后一天的各开发区进度。"""
    from .services.bulletins import ReportError, issue_bulletin, monthly_bulletin
    issued_on = issued_on or clock.today()
    try:
        if issue:
            archive = issue_bulletin(year, month, issued_on, None)
            db.session.commit()
            data, fingerprint = archive.pdf, archive.fingerprint
        else:
            bulletin = monthly_bulletin(year, month, issued_on)
            data, fingerprint = bulletin.pdf, bulletin.fingerprint
    except ReportError as error:
        _fail(str(error))
    _write(out, data)
    click.echo(f"已生成{year}年{month}月通报：{out}（{len(data) // 1024} KB，数据指纹 {fingerprint}）"
               + ("，已签发存档" if issue else ""))


@report_cli.command("zone")
@click.option("--zone", "zone_code", required=True, help="开发区代码")
@click.option("--year", type=int, required=True, help="年度")
@click.option("--as-of", "as_of", callback=_iso_date, help="截至日期 YYYY-MM-DD，默认今天或年末")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出 PDF 文件")
def report_zone(zone_code, year, as_of, out):
    """开发区进度报告：指标、领导任务和项目台账。"""
    from reports import build_zone_report
    from .queries.reports import zone_ledger
    zone = zone_by_code(zone_code)
    if zone is None:
        _fail(f"开发区代码“{zone_code}”不存在")
    year, as_of = _period(year, as_of)
    data = build_zone_report(build_progress(year, as_of), zone.id, zone_ledger(zone.id, year),
                             generated_on=clock.today())
    _write(out, data)
    click.echo(f"已生成{zone.name}进度报告：{out}（{len(data) // 1024} KB）")


@report_cli.command("leader")
@click.option("--user", "username", required=True, help="领导的用户名")
@click.option("--from", "start", callback=_iso_date, help="起始日期，默认当年1月1日")
@click.option("--to", "end", callback=_iso_date, help="截止日期，默认今天")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="输出 PDF 文件")
def report_leader(username, start, end, out):
    """领导对接项目清单。"""
    from reports import build_leader_list
    from .models import LEADER
    from .queries.progress import leader_progress
    from .queries.reports import leader_contacts
    leader = user_by_username(username)
    if leader is None or leader.role != LEADER:
        _fail(f"“{username}”不是开发区领导")
    try:
        start, end = date_range(start, end, clock.today())
    except PeriodError as error:
        _fail(str(error))
    data = build_leader_list(leader_progress(leader, end.year, end), leader_contacts(leader, start, end),
                             start=start, end=end, generated_on=clock.today())
    _write(out, data)
    click.echo(f"已生成{leader.name}对接项目清单：{out}（{len(data) // 1024} KB）")


@notify_cli.command("daily")
@click.option("--today", "today", callback=_iso_date, help="检查日期 YYYY-MM-DD，默认今天")
@click.option("--no-deliver", is_flag=True, help="只写入站内通知，不发送邮件或群机器人消息")
def notify_daily(today, no_deliver):
    """每日检查：下一步到期与逾期、落后序时进度；同一天重复运行不会重复提醒。"""
    from .services.notifications import run_daily_checks
    result = run_daily_checks(today or clock.today(), deliver=not no_deliver)
    db.session.commit()
    click.echo(f"新增通知：下一步到期 {result.added['next_step']} 条，落后序时 {result.added['behind']} 条；"
               f"已发送 {result.delivered} 条")
    for failure in result.failed:
        click.echo(f"发送失败：{failure}", err=True)
    if result.failed:
        sys.exit(1)


@notify_cli.command("deliver")
def notify_deliver():
    """把尚未发送的通知发往管理员配置的邮箱和群机器人。"""
    from .services.notifications import deliver_pending
    delivered, failed = deliver_pending()
    db.session.commit()
    click.echo(f"已发送 {delivered} 条")
    for failure in failed:
        click.echo(f"发送失败：{failure}", err=True)
    if failed:
        sys.exit(1)


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="备份文件")
def backup_command(out):
    """在线备份数据库（SQLite 备份接口；PostgreSQL 用 pg_dump）。"""
    from .backup import BackupError, backup
    try:
        kind = backup(out)
    except BackupError as error:
        _fail(str(error))
    audit.record("backup", "database", None, after={"file": str(out), "kind": kind})
    db.session.commit()
    click.echo(f"已备份到 {out}（{out.stat().st_size // 1024} KB）")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="确认用备份覆盖当前数据库")
def restore_command(source, yes):
    """用备份文件整体替换当前数据库（请先停止应用服务）。"""
    from .backup import BackupError, restore
    from .services.audit_chain import chain_end
    if not yes:
        _fail("恢复会覆盖当前数据库的全部数据；确认无误后加 --yes 重新执行")
    before = chain_end()
    try:
        restore(source)
    except BackupError as error:
        _fail(str(error))
    audit.record_restore(before, str(source))
    db.session.commit()
    click.echo(f"已从 {source} 恢复数据库")


@click.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="同时执行的任务数（线程）")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="是否执行定时任务（清理、备份）；多台主机时可只在一台上执行")
def worker_command(workers, periodic):
    """后台任务进程：执行导入检查与写入、定时清理与备份（任务队列见 QUEUE_URL / REDIS_URL）。"""
    import logging

    from . import tasks  # noqa: F401  (registers the tasks)
    from .queue import describe, huey
    if huey.immediate:
        _fail("QUEUE_URL=immediate 时任务在请求内直接执行，无需后台任务进程")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"后台任务进程：队列 {describe()}，{workers} 个线程，定时任务{'开启' if periodic else '关闭'}",
               err=True)
    huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic).run()


def register_cli(app: Flask) -> None:
    from .imports.cli import COMMANDS as import_commands
    for command in (progress_command, demo_data, recount, zones_cli, users_cli, targets_cli, audit_cli,
                    report_cli, notify_cli, backup_command, restore_command, worker_command, *import_commands):
        app.cli.add_command(command)
