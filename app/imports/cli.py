"""flask import-ledger / import-indicators / ledger-template / export-ledger: the import pages'
work from a terminal; flask imports clean: delete uploads never imported within a day (for a scheduler)."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import User, Zone
from app.queries.scope import zone_of

from .duplicates import AcceptAll
from .indicators_import import format_summary as format_indicators
from .indicators_import import INDICATORS, import_indicators
from .jobs import _record, create_job, delete_stale_uploads, file_info
from .ledger_import import DuplicatesUndecided, import_ledger
from .mapping import parse_maps
from .reader import ImportFileError, Limits, read_book
from .sheets import error_workbook, template_workbook, zone_workbook
from .summary import format_summary
from .writing import ImportAborted

PHASES = {"check": "检查", "write": "写入"}


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _zone(code: str) -> Zone:
    zone = db.session.scalar(select(Zone).where(Zone.code == code))
    if zone is None:
        _fail(f"开发区代码“{code}”不存在")
    return zone


class TerminalProgress:
    """A progress bar per phase on standard error (the summary goes to standard output)."""

    def __init__(self):
        self.bar, self.phase, self.shown = None, None, 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase, self.shown = phase, 0
            self.bar = click.progressbar(length=max(total, 1), label=PHASES.get(phase, phase), file=sys.stderr,
                                         show_pos=True, width=30)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _user(username: str | None) -> User | None:
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _fail(f"用户名“{username}”不存在")
    return user


@click.command("import-ledger")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--zone", "zone_code", required=True, help="导入到哪个开发区（开发区代码）")
@click.option("--dry-run", is_flag=True, help="试运行：只列出将新增、更新、无变化和有错误的行，不写入")
@click.option("--user", "username", help="以哪位本区用户的名义导入（记为对接记录的录入人）；不填时为各条记录的第一位对接领导")
@click.option("--errors", "errors_out", type=click.Path(dir_okay=False, path_type=Path),
              help="有错误的行时，把标注了错误的工作簿（与网页下载的相同：原文件中出错的单元格标红并加批注，另附错误清单）保存到此文件")
@click.option("--map", "maps", multiple=True, metavar="列名=字段",
              help="未识别的列对应到哪个字段（字段的名称或表头写法），或“备注”（记入备注）、“忽略”；可写多次。"
                   "如 --map \"投资方国别（地区）=国别\"。本区在网页上保存的对应关系同样适用")
@click.option("--accept-duplicates", "accept", is_flag=True,
              help="可能重复的行（与已有项目或本文件前面的行可能是同一项目、完全相同的到位资金行）都作为不同项目、"
                   "两笔到位资金写入；不加时列出这些行并拒绝写入")
def import_ledger_command(file, zone_code, dry_run, username, errors_out, maps, accept):
    """导入项目台账和对接记录（.xlsx、.xls、.csv）。有错误的行不导入；退出码 3 表示有被拒绝的行；
    有未识别的列尚未指定对应字段时不写入（退出码 2），试运行先列出各列的对应关系；
    4 表示有可能重复的行待决定、未写入（见 --accept-duplicates）。"""
    try:
        columns = parse_maps(maps)
    except ImportFileError as error:
        _fail(str(error))
    zone = _zone(zone_code)
    user = _user(username)
    if user is not None and zone_of(user) != zone.id:
        _fail(f"用户“{username}”不是{zone.name}的领导或招商专员，不能导入该开发区")

    def lines(summary: dict) -> list[str]:
        said = format_summary(summary)
        if accept and summary["pairs"]:
            said.append(f"按 --accept-duplicates，{len(summary['pairs'])} 对可能重复的行都作为不同项目"
                        f"（到位资金作为两笔）{'检查' if dry_run else '写入'}")
        return said

    _run(file, zone, user, "ledger", dry_run, f"{zone.name}（{zone.code}）：{file.name}", lines,
         lambda sheets, info, max_rows, progress: import_ledger(
             zone, sheets, user, dry_run=dry_run, max_rows=max_rows, file_info=info, progress=progress,
             columns=columns, decisions=AcceptAll() if accept else None),
         errors_out=errors_out)


@click.command("import-indicators")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="试运行：列出将新增、将更正（原值 → 新值）、无变化和有错误的行，不写入")
@click.option("--reason", default="", help="更正原因：文件将更正已报送的数字时必填，记入每条更正的审计记录")
@click.option("--user", "username", help="以哪位用户的名义导入（投促局用户导入全市；招商专员只能导入本区）；不填时记为命令行")
def import_indicators_command(file, dry_run, reason, username):
    """导入各开发区的月度指标（开发区、月份、营业收入（万元）、实际使用外资（万美元））。先用 --dry-run
    查看将写入和将更正的数字；有错误的行不导入，退出码 3 表示有被拒绝的行。"""
    user = _user(username)
    _run(file, user.zone if user is not None else None, user, INDICATORS, dry_run,
         f"月度指标：{file.name}", format_indicators,
         lambda sheets, info, max_rows, progress: import_indicators(
             user, sheets, dry_run=dry_run, max_rows=max_rows, file_info=info, reason=reason, progress=progress))


def _run(file: Path, zone: Zone | None, user: User | None, kind: str, dry_run: bool, title: str, lines, run,
         errors_out: Path | None = None) -> None:
    """Read the file, run the import (kept as a job unless a dry run), commit or roll back, and
    print the summary: what a web upload's check and commit do, in one go."""
    content = file.read_bytes()
    limits = Limits.from_config(current_app.config)
    progress = TerminalProgress()
    try:
        sheets = read_book(file.name, content, limits)
        job = None if dry_run else create_job(zone, user, file.name, content, kind=kind)
        info = file_info(job) if job else {"name": file.name, "size": len(content),
                                           "sha256": hashlib.sha256(content).hexdigest()}
        summary = run(sheets, info, limits.max_rows, progress)
        progress.close()
        if dry_run:
            db.session.rollback()
        else:
            _record(job, summary, "done")
            job.content = None
            db.session.commit()
    except ImportFileError as error:
        progress.close()
        db.session.rollback()
        _fail(str(error))
    except DuplicatesUndecided as error:
        progress.close()
        db.session.rollback()
        click.echo(title)
        for line in lines(error.summary):
            click.echo(line)
        _fail(f"{error}（命令行加 --accept-duplicates 则都作为不同项目、两笔到位资金写入；"
              f"要合并的，请在网页导入中逐对选择“同一项目”“同一笔”）", 4)
    except ImportAborted as error:
        progress.close()
        db.session.rollback()
        _fail(f"导入未完成，未写入任何数据：{error}", 1)
    except Exception:
        progress.close()
        db.session.rollback()
        click.echo("错误：导入时出现系统错误，未写入任何数据", err=True)
        raise
    click.echo(title)
    for line in lines(summary):
        click.echo(line)
    if errors_out is not None:
        if summary["errors"]:
            annotated, _name = error_workbook(content, file.name, summary["errors"], issuer=zone.name if zone else "")
            errors_out.write_bytes(annotated)
            click.echo(f"错误标注已保存：{errors_out}")
        else:
            click.echo(f"没有错误，未生成 {errors_out}")
    if summary["totals"]["rejected"]:
        sys.exit(3)


@click.command("ledger-template")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default="项目台账导入模板.xlsx",
              show_default=True, help="保存到哪个文件")
def ledger_template_command(out):
    """生成项目台账导入模板（项目台账、对接记录、填写说明三个工作表）。"""
    out.write_bytes(template_workbook())
    click.echo(f"已生成导入模板：{out}")


@click.command("export-ledger")
@click.option("--zone", "zone_code", required=True, help="开发区代码")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="保存到哪个文件")
def export_ledger_command(zone_code, out):
    """按导入模板的格式导出一个开发区的项目台账和对接记录。"""
    zone = _zone(zone_code)
    out.write_bytes(zone_workbook(zone))
    click.echo(f"已导出{zone.name}的台账：{out}")


imports_group = AppGroup("imports", help="上传文件的维护。")


@imports_group.command("clean")
def imports_clean_command():
    """删除上传超过一天仍未导入的文件（供定时任务每天调用）。"""
    count = delete_stale_uploads()  # the very function the queue's hourly job runs
    click.echo(f"已删除 {count} 个超过一天未导入的上传文件。")


COMMANDS = (import_ledger_command, import_indicators_command, ledger_template_command, export_ledger_command, imports_group)
