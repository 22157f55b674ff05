"""Staff members: who works at the business, who is active, and who may look after customers.

A staff member's id is short and chosen by the business (``anna``), because people type it in
``--as anna`` and ``--manager anna`` every day. The table is small, so lookups scan it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kundkit.auditlog import record_audit
from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.i18n import _
from kundkit.idtable import replace_doc, stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "staff"
_STAFF_ID = re.compile(r"^[a-z][a-z0-9._-]{0,31}$")
EDITABLE = ("name", "email", "role")


def parse_staff_id(text: str) -> str:
    value = str(text).strip().lower()
    if not _STAFF_ID.match(value):
        raise ValidationError(_("staff id {value!r} must be 1–32 lower-case letters, digits, '.', '_' "
                                "or '-', starting with a letter (e.g. anna)").format(value=text),
                              field="id")
    return value


def _find(tx: Transaction, staff_id: str) -> tuple[int, dict[str, Any]] | None:
    wanted = str(staff_id).strip().lower()
    for key, record in tx.raw(TABLE).items():
        if record.get("id") == wanted:
            return int(key), record
    return None


def get_staff(tx: Transaction, staff_id: str) -> dict[str, Any]:
    """The staff member ``staff_id``; :class:`NotFound` naming the id otherwise."""
    found = _find(tx, staff_id)
    if found is None:
        raise NotFound(_("no staff member with id '{id}' (see 'kundkit staff list')").format(id=staff_id))
    return dict(found[1])


def all_staff(tx: Transaction, *, include_inactive: bool = True) -> list[dict[str, Any]]:
    """Every staff member, sorted by id."""
    rows = [dict(r) for r in tx.raw(TABLE).values() if include_inactive or r.get("active")]
    return sorted(rows, key=lambda r: r["id"])


def active_staff(tx: Transaction) -> list[dict[str, Any]]:
    """The active staff members, sorted by id."""
    return all_staff(tx, include_inactive=False)


def require_active(tx: Transaction, staff_id: str, *, field: str = "manager") -> str:
    """``staff_id`` if it names an active staff member; a ValidationError naming ``field`` if not."""
    found = _find(tx, staff_id)
    if found is None:
        raise ValidationError(_("{field}: no staff member with id '{id}'").format(field=field, id=staff_id),
                              field=field)
    if not found[1].get("active"):
        raise ValidationError(_("{field}: staff member '{id}' is no longer active").format(
            field=field, id=staff_id), field=field)
    return found[1]["id"]


def _check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in fields:
        name = str(fields["name"] or "").strip()
        if not name:
            raise ValidationError(_("the staff member's name is empty"), field="name")
        out["name"] = name
    if "email" in fields:
        from kundkit.identity import parse_email

        out["email"] = parse_email(fields["email"]) if fields["email"] else None
    if "role" in fields:
        out["role"] = str(fields["role"]).strip() if fields["role"] else None
    return out


def create_staff(ctx: Context, tx: Transaction, *, staff_id: str, name: str, email: str | None = None,
                 role: str | None = None) -> dict[str, Any]:
    """Add a staff member; :class:`Conflict` when the id is taken."""
    sid = parse_staff_id(staff_id)
    if _find(tx, sid) is not None:
        raise Conflict(_("a staff member with id '{id}' already exists").format(id=sid))
    record = {"id": sid, **_check_fields({"name": name, "email": email, "role": role}),
              "active": True, "created_at": stamp(ctx), "created_by": ctx.actor}
    tx.table(TABLE).insert(record)
    record_audit(ctx, tx, action="create", table=TABLE, record_id=sid,
                 fields=[k for k in ("name", "email", "role") if record.get(k)])
    return record


def edit_staff(ctx: Context, tx: Transaction, staff_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change name, e-mail or role. Returns the updated record."""
    found = _find(tx, staff_id)
    if found is None:
        get_staff(tx, staff_id)  # raises NotFound
        raise AssertionError
    doc_id, old = found
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("staff: cannot change {fields}").format(fields=", ".join(sorted(unknown))),
                              field=sorted(unknown)[0])
    new = {**old, **_check_fields(changes)}
    changed = [k for k in EDITABLE if new.get(k) != old.get(k)]
    if changed:
        replace_doc(tx, TABLE, doc_id, new)
        record_audit(ctx, tx, action="update", table=TABLE, record_id=old["id"], fields=changed)
    return dict(new)


def set_active(ctx: Context, tx: Transaction, staff_id: str, active: bool) -> dict[str, Any]:
    """Mark a staff member active or not (the caller has dealt with their customers)."""
    found = _find(tx, staff_id)
    if found is None:
        get_staff(tx, staff_id)
        raise AssertionError
    doc_id, old = found
    new = {**old, "active": active}
    if not active:
        new["deactivated_at"] = stamp(ctx)
    replace_doc(tx, TABLE, doc_id, new)
    record_audit(ctx, tx, action="update", table=TABLE, record_id=old["id"], fields=["active"])
    return dict(new)


def workload(tx: Transaction) -> dict[str, dict[str, int]]:
    """For each staff id: how many customers they manage and how many open tasks they have."""
    out: dict[str, dict[str, int]] = {}
    from kundkit.customers import iter_customers

    for record in iter_customers(tx):
        manager = record.get("manager")
        if manager and not record.get("forgotten_at"):
            out.setdefault(manager, {"customers": 0, "open_tasks": 0})["customers"] += 1
    for record in tx.raw("tasks").values():
        if record.get("status") == "open" and record.get("assignee"):
            out.setdefault(record["assignee"], {"customers": 0, "open_tasks": 0})["open_tasks"] += 1
    return out


def deactivate_staff(ctx: Context, tx: Transaction, staff_id: str, *, reassign: bool = False,
                     to_staff: str | None = None) -> tuple[list[tuple[str, str | None]], int]:
    """Mark a staff member inactive. Their customers need a new manager first: with ``reassign``
    they get one (``to_staff``, or by the configured strategy) and their open tasks follow;
    otherwise a :class:`Conflict` says how many customers and tasks are still theirs.

    Returns ([(customer id, new manager)], number of open tasks handed over).
    """
    from kundkit.customers import list_customers, reassign_all
    from kundkit.managers import ManagerPicker
    from kundkit.tasks import move_open_tasks, open_tasks

    who = get_staff(tx, staff_id)
    if not who.get("active"):
        raise Conflict(_("staff member '{id}' is already inactive").format(id=who["id"]))
    if to_staff is not None:
        to_staff = require_active(tx, to_staff, field="to")
        if to_staff == who["id"]:
            raise ValidationError(_("to: cannot hand over to the staff member who leaves"), field="to")
    customers = list_customers(tx, manager=who["id"])
    tasks_before = len(open_tasks(tx, assignee=who["id"]))
    if not reassign and (customers or tasks_before):
        raise Conflict(_("{id} still manages {n} customers and has {t} open tasks; hand them over "
                         "first with 'kundkit customer assign', or use --reassign").format(
            id=who["id"], n=len(customers), t=tasks_before))
    moved = reassign_all(ctx, tx, who["id"], to_manager=to_staff) if customers else []
    left = open_tasks(tx, assignee=who["id"])
    if left:
        picker = ManagerPicker(ctx, tx, strategy="least-loaded")
        heir = to_staff or picker.least_loaded([s for s in picker.eligible if s != who["id"]])
        if heir is None:
            raise Conflict(_("no other active staff member can take over the open tasks of {id}").format(
                id=who["id"]))
        move_open_tasks(ctx, tx, customer=None, from_assignee=who["id"], to_assignee=heir)
    set_active(ctx, tx, who["id"], False)
    return moved, tasks_before


def import_staff(ctx: Context, path: Any, *, fmt: str | None = None, dry_run: bool = False) -> Any:
    """Import staff (columns id, name, email, role) from CSV or JSON, all or nothing."""
    from kundkit.auditlog import record_audits
    from kundkit.importing import Row, RowProblems, import_rows

    seen: set[str] = set()

    def check(tx: Transaction, row: Row, problems: RowProblems) -> dict[str, Any] | None:
        values = row.values
        try:
            sid = parse_staff_id(values.get("id") or "")
        except ValidationError as exc:
            problems.add_error(exc, "id")
            sid = None
        if sid and (sid in seen or _find(tx, sid) is not None):
            problems.add("id", _("a staff member with id '{id}' already exists").format(id=sid))
        try:
            fields = _check_fields({"name": values.get("name"), "email": values.get("email") or None,
                                    "role": values.get("role") or None})
        except ValidationError as exc:
            problems.add_error(exc)
            return None
        if problems or sid is None:
            return None
        seen.add(sid)
        return {"id": sid, **fields, "active": True, "created_at": stamp(ctx), "created_by": ctx.actor}

    def commit(tx: Transaction, items: list[tuple[Row, dict[str, Any]]]) -> None:
        tx.table(TABLE).insert_multiple(record for _row, record in items)
        record_audits(ctx, tx, [{"action": "import", "table": TABLE, "record_id": r["id"],
                                 "fields": [k for k in EDITABLE if r.get(k)]} for _row, r in items])

    return import_rows(ctx, path, check=check, commit=commit, known=("id", *EDITABLE), fmt=fmt,
                       dry_run=dry_run)
