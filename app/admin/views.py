"""Reference data for the admin, and the audit trail for the auditor (三员分立: neither
sees the other's pages)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit as audit_trail
from app.auth.access import roles_required
from app.extensions import db
from app.domain.classifications import VOCABULARIES, industry_label
from app.domain.ledger import vocabulary_choices
from app.domain.metrics import all_metrics
from app.domain.targets import TARGET_SETS
from app.models import ADMIN, AUDITOR, CHANNEL_KINDS, Target, User, Zone
from app.queries import notifications as notify_queries
from app.services.notifications import ChannelError, add_channel, delete_channel, set_channel_enabled
from app.pagination import paginate
from app.queries.audit_trail import AuditFilters, known_actions, lines, time_heading
from app.queries.ledger import all_zones
from app.queries.paging import count
from app.queries.progress import rates_for
from app.queries.reference import (all_users, has_targets, synonym_rows, target_rows, target_years,
                                  zones_with_user_counts)
from app.services import sessions as session_service
from app.services.reference import (ReferenceDataError, add_synonym, add_target, load_target_set, remove_synonym,
                                    remove_target, save_rates, save_targets, save_zone)
from app.services.users import AccountError, PasswordPolicyError, create_user, update_user

from . import bp, reference_form
from .audit_export import export_response
from .forms import NewUserForm, ResetPasswordForm, UserForm, ZoneForm
from .password_reset import reset_from_form
from .reference_form import FX_CURRENCIES
from .. import clock


@bp.route("/")
@roles_required(ADMIN)
def index():
    year = request.args.get("year", type=int) or clock.today().year
    return render_template("admin/index.html", zones=zones_with_user_counts(), users=all_users(),
                           targets=target_rows(year), rates=rates_for(year), year=year, years=target_years())


def _zone_choices(form):
    form.zone_id.choices = [(0, "（不属于开发区）")] + [(z.id, z.name) for z in all_zones()]


def _zone(form):
    return db.session.get(Zone, form.zone_id.data) if form.zone_id.data else None


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_new():
    form = NewUserForm()
    _zone_choices(form)
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.name.data, form.role.data, _zone(form), form.password.data,
                               by=current_user)
            if not form.active.data:
                update_user(user, name=user.name, role=user.role, zone=user.zone, active=False, by=current_user)
            db.session.commit()
        except (AccountError, PasswordPolicyError) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"已新增用户“{user.username}”，首次登录时须修改密码。", "success")
            return redirect(url_for("admin.index"))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_edit(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    _zone_choices(form)
    if request.method == "GET":
        form.zone_id.data = user.zone_id or 0
    if form.validate_on_submit():
        try:
            update_user(user, name=form.name.data, role=form.role.data, zone=_zone(form),
                        active=form.active.data, by=current_user)
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"用户“{user.username}”已保存。", "success")
            return redirect(url_for("admin.index"))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("admin/user_form.html", form=form, user=user, reset_form=ResetPasswordForm(),
                           open_sessions=len(session_service.active_sessions(user)))


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@roles_required(ADMIN)
def user_end_sessions(user_id):
    """Sign the user out everywhere: every session ends at once (audited)."""
    user = db.session.get(User, user_id) or abort(404)
    user.end_all_sessions()
    ended = session_service.end_all(user, "ended_by_admin")
    if not ended:
        audit_trail.record("sessions_revoked", "user", user.id, zone_id=user.zone_id,
                           after={"reason": "ended_by_admin", "sessions": 0})
    db.session.commit()
    flash(f"已退出用户“{user.username}”的全部登录（{ended} 个）。", "success")
    if user.id == current_user.id:
        return redirect(url_for("auth.login"))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(ADMIN)
def user_reset_password(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = ResetPasswordForm()
    if user.id == current_user.id:
        flash("请通过“修改密码”修改自己的密码。", "error")
    elif reset_from_form(user, form, "用户"):
        return redirect(url_for("admin.index"))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/audit")
@roles_required(AUDITOR)
def audit():
    filters = AuditFilters.from_args(request.args, current_app.config["TIME_ZONE"])
    page = paginate(filters.newest_first())
    shown = lines(page.items)  # read before the commit below expires the rows (else one query per row)
    # Reading the trail is itself recorded (after the page is chosen, so it shows from the next view).
    audit_trail.record("audit_view", "audit_event", None, after={"filters": filters.as_dict(), "page": page.page})
    db.session.commit()
    actions = dict(audit_trail.ACTIONS, **{a: a for a in known_actions() if a not in audit_trail.ACTIONS})
    return render_template("admin/audit.html", page=page, actions=actions, entities=audit_trail.ENTITIES,
                           filters=filters, lines=shown,
                           time_heading=time_heading(current_app.config["TIME_ZONE"]))


@bp.route("/audit/export")
@roles_required(AUDITOR)
def audit_export():
    """The filtered audit trail as CSV or Excel; the export itself is recorded first."""
    filters = AuditFilters.from_args(request.args, current_app.config["TIME_ZONE"])
    fmt = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    audit_trail.record("audit_export", "audit_event", None, after={"format": fmt, "filters": filters.as_dict(),
                                                                    "rows": count(filters.newest_first())})
    db.session.commit()
    return export_response(filters.oldest_first(), fmt)


@bp.route("/targets", methods=["GET", "POST"])
@roles_required(ADMIN)
def targets():
    """A year's targets and FX rates, edited in one form; nothing is saved unless all is valid."""
    year = request.values.get("year", type=int) or clock.today().year
    rows = target_rows(year)
    rates = rates_for(year)
    errors = []
    if request.method == "POST":
        inputs, new_rates, errors = reference_form.parse(request.form, rows)
        if not errors:
            try:
                changed = save_targets(year, inputs, current_user)
                save_rates(year, new_rates, current_user)
                db.session.commit()
            except ReferenceDataError as error:
                db.session.rollback()
                errors = [str(error)]
            else:
                flash(f"{year}年度目标已保存（{changed} 项有变动），所有页面、报告和 JSON 输出即时生效。", "success")
                return redirect(url_for("admin.targets", year=year))
        for message in errors:
            flash(message, "error")
    return render_template("admin/targets.html", year=year, years=target_years(), rows=rows, rates=rates,
                           values=request.form if errors else None, currencies=FX_CURRENCIES,
                           value_unit=reference_form.value_unit, value_text=reference_form.value_text,
                           all_metrics=all_metrics(), target_sets=TARGET_SETS), 400 if errors else 200


@bp.route("/targets/example", methods=["POST"])
@roles_required(ADMIN)
def load_example_targets():
    year = request.form.get("year", type=int)
    example = request.form.get("example", "")
    if not year or example not in TARGET_SETS:
        abort(400)
    if load_target_set(year, example=example):
        db.session.commit()
        flash(f"已按“{TARGET_SETS[example][0]}”建立{year}年度目标，可在此基础上修改。", "success")
    else:
        flash(f"{year}年度已有目标，未作改动。", "error")
    return redirect(url_for("admin.targets", year=year))


@bp.route("/targets/add", methods=["POST"])
@roles_required(ADMIN)
def add_target_view():
    year = request.form.get("year", type=int) or abort(400)
    try:
        add_target(year, request.form.get("tier") or None, request.form.get("metric", ""), current_user)
        db.session.commit()
    except ReferenceDataError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash("已增加目标，请在表中填写目标值后保存。", "success")
    return redirect(url_for("admin.targets", year=year))


@bp.route("/targets/remove", methods=["POST"])
@roles_required(ADMIN)
def remove_target_view():
    year = request.form.get("year", type=int) or abort(400)
    target = db.session.get(Target, request.form.get("target", type=int) or 0)
    if target is None or target.year != year:
        abort(404)
    remove_target(target, current_user)
    db.session.commit()
    flash("已删除该目标。", "success")
    return redirect(url_for("admin.targets", year=year))


@bp.route("/targets/copy", methods=["POST"])
@roles_required(ADMIN)
def copy_targets():
    year = request.form.get("year", type=int)
    source = request.form.get("source", type=int)
    if not year or not source:
        abort(400)
    if not has_targets(source):
        flash(f"{source}年度没有目标可复制。", "error")
    elif load_target_set(year, source):
        db.session.commit()
        flash(f"已按{source}年度建立{year}年度目标与汇率，可在此基础上修改。", "success")
    else:
        flash(f"{year}年度已有目标，未作改动。", "error")
    return redirect(url_for("admin.targets", year=year))


@bp.route("/zones/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def zone_new():
    return _zone_form(None)


@bp.route("/zones/<int:zone_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def zone_edit(zone_id):
    return _zone_form(db.session.get(Zone, zone_id) or abort(404))


def _zone_form(zone):
    form = ZoneForm(obj=zone)
    if request.method == "GET":
        form.effective_year.data = clock.today().year
    if form.validate_on_submit():
        values = {f: (getattr(form, f).data or "").strip() for f in ("code", "name", "province", "county", "kind", "level",
                                                                  "tier")}
        try:
            saved = save_zone(zone, values, form.effective_year.data, current_user)
            db.session.commit()
        except ReferenceDataError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(f"开发区“{saved.name}”已保存。", "success")
            return redirect(url_for("admin.index"))
    elif request.method == "POST":
        flash("请按提示修改后再提交。", "error")
    return render_template("admin/zone_form.html", form=form, zone=zone)


# ---------------------------------------------------------------- notification channels

@bp.route("/notify", methods=["GET", "POST"])
@roles_required(ADMIN)
def notify_channels():
    """Where notifications also go: e-mail addresses and group robots, per zone or for the bureau."""
    error = None
    if request.method == "POST":
        zone_id = request.form.get("zone_id", type=int)
        try:
            add_channel(request.form.get("kind", ""), request.form.get("target", ""), zone_id or None)
            db.session.commit()
        except ChannelError as e:
            db.session.rollback()
            error = e
        else:
            flash("已添加通知渠道。", "success")
            return redirect(url_for("admin.notify_channels"))
    return render_template("admin/notify.html", channels=notify_queries.channels(enabled_only=False),
                           zones=all_zones(), kinds=CHANNEL_KINDS, error=error, form=request.form,
                           smtp_host=current_app.config.get("NOTIFY_SMTP_HOST"))


@bp.route("/notify/<int:channel_id>/toggle", methods=["POST"])
@roles_required(ADMIN)
def notify_channel_toggle(channel_id):
    channel = notify_queries.channel(channel_id) or abort(404)
    set_channel_enabled(channel, not channel.enabled)
    db.session.commit()
    return redirect(url_for("admin.notify_channels"))


@bp.route("/notify/<int:channel_id>/delete", methods=["POST"])
@roles_required(ADMIN)
def notify_channel_delete(channel_id):
    channel = notify_queries.channel(channel_id) or abort(404)
    delete_channel(channel)
    db.session.commit()
    flash("已删除通知渠道。", "success")
    return redirect(url_for("admin.notify_channels"))


@bp.route("/synonyms", methods=["GET", "POST"])
@roles_required(ADMIN)
def synonyms():
    """The words ledgers use for each closed vocabulary (stage, contact form, key level, yes/no,
    origin, industry): what the import reads, and what the admin adds or removes."""
    if request.method == "POST":
        try:
            if request.form.get("delete"):
                remove_synonym(int(request.form["delete"]), current_user)
                flash("已删除该同义词。", "success")
            else:
                synonym = add_synonym(request.form.get("vocabulary", ""), request.form.get("word", ""),
                                      request.form.get("value", ""), current_user)
                flash(f"已保存：“{synonym.word}”。之后的导入即按此读取。", "success")
            db.session.commit()
        except (ReferenceDataError, ValueError) as error:
            db.session.rollback()
            flash(str(error), "error")
        return redirect(url_for("admin.synonyms", vocabulary=request.form.get("vocabulary") or None))
    shown = request.args.get("vocabulary") or None
    rows = [s for s in synonym_rows() if shown is None or s.vocabulary == shown]
    choices = vocabulary_choices()
    return render_template("admin/synonyms.html", rows=rows, shown=shown, vocabularies=VOCABULARIES,
                           choices=choices, label=lambda v, value: _synonym_label(choices, v, value))


def _synonym_label(choices, vocabulary, value):
    if vocabulary == "industry":
        return industry_label(value) if value else "（未分类）"
    return choices.get(vocabulary, {}).get(value, value) if value else "（空）"
