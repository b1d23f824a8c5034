"""我的待办: a user's next steps, with one-tap done and move (plain POST forms, no script)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired

from app.auth.access import get_in_scope_or_404, roles_required
from app.domain.tasks import BUCKETS, LATER, TaskError, bucket, may_handle, week_end
from app.extensions import db
from app.forms import Form, plausible_date
from app.models import LEADER, STAFF, Task
from app.queries.tasks import my_due_tasks, my_later_tasks, task_owners
from app.services import tasks as task_service

from . import bp
from .. import clock


class DoneForm(Form):
    pass


class MoveForm(Form):
    due_on = DateField("新日期", validators=[DataRequired("请填写有效的新日期"), plausible_date])


class ReassignForm(Form):
    owner_id = SelectField("转交给", coerce=int, validate_choice=False,
                           validators=[DataRequired("请选择新的负责人")])


@bp.route("/")
@roles_required(LEADER, STAFF)
def index():
    today = clock.today()
    groups = {key: [] for key in BUCKETS}
    for task in my_due_tasks(current_user.id, today):
        groups[bucket(task.due_on, today)].append(task)
    return render_template("tasks/index.html", groups=groups, buckets=BUCKETS, later=my_later_tasks(current_user.id, today),
                           today=today, week_end=week_end(today), done_form=DoneForm(), move_form=MoveForm())


def _own_task(task_id: int) -> Task:
    """A step of the user's zone that they may close: their own, or any of the zone's for staff."""
    task = get_in_scope_or_404(Task, task_id)
    if not may_handle(task.owner_id, task.zone_id, current_user.id, current_user.role, current_user.zone_id):
        abort(403)
    return task


def _back():
    target = request.form.get("back", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("tasks.index"))


@bp.route("/<int:task_id>/done", methods=["POST"])
@roles_required(LEADER, STAFF)
def done(task_id):
    task = _own_task(task_id)
    if not DoneForm().validate_on_submit():
        abort(400)
    try:
        task_service.complete(task, current_user)
        db.session.commit()
    except TaskError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"已完成：{task.project.name} · {task.title}", "success")
    return _back()


@bp.route("/<int:task_id>/move", methods=["POST"])
@roles_required(LEADER, STAFF)
def move(task_id):
    task = _own_task(task_id)
    form = MoveForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return _back()
    try:
        successor = task_service.move(task, form.due_on.data, current_user)
        db.session.commit()
    except TaskError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"已改期至 {successor.due_on.isoformat()}：{task.project.name} · {task.title}", "success")
    return _back()


@bp.route("/<int:task_id>/reassign", methods=["POST"])
@roles_required(LEADER, STAFF)
def reassign(task_id):
    """转交: zone staff, or the step's owner, hand an open step to another leader or staff member
    of the zone (audited; the new owner sees it in 我的待办 and in the bell)."""
    task = _own_task(task_id)
    form = ReassignForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
        return _back()
    new_owner = next((u for u in task_owners(task.zone_id) if u.id == form.owner_id.data), None)
    try:
        if new_owner is None:
            raise TaskError("下一步负责人须为本开发区在职的领导或招商专员", "owner_id")
        task_service.reassign(task, new_owner, current_user)
        db.session.commit()
    except TaskError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(f"已转交给{new_owner.name}：{task.project.name} · {task.title}", "success")
    return _back()


__all__ = ["LATER"]
