"""Running a planned send-out: claiming it, driving the channels, and writing what happened
as it goes.

Results are written, and the consent of the next customers checked again, every ``CHUNK``
messages or ``FLUSH_SECONDS``, whichever comes first: a crash can repeat at most that much, and a
consent withdrawn while the send-out runs is seen within seconds. A send-out is claimed by one run
at a time; a run whose process is gone is taken over at once.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict
from kundkit.i18n import _
from kundkit.idtable import insert_numbered, make_id, number_of, replace_doc, stamp
from kundkit.sendouts import (FAILED, FIRST_NUMBER, PREFIX, SEND, SENT, SKIPPED, TABLE, Item, Plan,
                              Progress, find_sendout, get_sendout, sendout_key)

if TYPE_CHECKING:
    from kundkit.channels.contract import Channel, ChannelSession
    from kundkit.context import Context
    from kundkit.messaging.models import Delivery
    from kundkit.store import Transaction

CHUNK = 50
FLUSH_SECONDS = 2.0
# A run elsewhere that has not finished after this long is taken to have died.
STALE_SECONDS = 15 * 60


def _running_mark() -> dict[str, Any]:
    import os
    import socket

    return {"token": secrets.token_hex(8), "since": time.time(), "pid": os.getpid(),
            "host": socket.gethostname()}


def _still_running(mark: Mapping[str, Any] | None) -> bool:
    """Whether the run that marked a send-out may still be sending. A run on this machine whose
    process is gone is not; one elsewhere is given STALE_SECONDS."""
    import os
    import socket

    if not mark:
        return False
    if os.name == "posix" and mark.get("host") == socket.gethostname() and mark.get("pid"):
        try:
            os.kill(int(mark["pid"]), 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return time.time() - float(mark.get("since", 0)) < STALE_SECONDS


def claim(ctx: Context, plan: Plan) -> tuple[dict[str, Any], bool]:
    """Create the send-out record, or take up the existing one, marking it as being sent."""
    from kundkit.auditlog import record_audit
    from kundkit.interactions import month_of, sendout_interactions

    key = sendout_key(plan.template, plan.audience, plan.channel)
    with ctx.store.transaction() as tx:
        if plan.sendout is None:
            other = None if plan.again else find_sendout(tx, key)
            if other is not None:
                raise Conflict(_("another run has just started this send-out as {id}; run the "
                                 "command again to continue it").format(id=other["id"]))
            number = tx.next_id("sendout", start=FIRST_NUMBER)
            now = stamp(ctx)
            record = {
                "id": make_id(PREFIX, number), "key": key, "template": plan.template,
                "audience": plan.audience.as_dict(), "channel": plan.channel,
                "marketing": plan.marketing, "partition": month_of(now), "created_at": now,
                "created_by": ctx.actor, "status": "sending", "running": _running_mark(),
                "runs": [], "counts": {}, "error": None,
            }
            insert_numbered(tx, TABLE, record, number)
            record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"],
                         fields=["template", "audience"])
            return record, True
        record = get_sendout(tx, plan.sendout["id"])
        if _still_running(record.get("running")):
            raise Conflict(_("send-out {id} is being sent by another run right now; wait until "
                             "it has finished").format(id=record["id"]))
        served = {r["customer"]: r for r in sendout_interactions(tx, record["id"],
                                                                 record["partition"])}
        for item in plan.items:
            previous = served.get(item.customer_id)
            if previous is None:
                continue
            item.existing = previous
            if item.status == SEND and previous.get("status") == SENT:
                item.status = SENT
        record.update(status="sending", running=_running_mark(), error=None)
        replace_doc(tx, TABLE, number_of(record["id"], PREFIX) or 0, record)
        return record, False


class Runner:
    """Drives the channel sessions of one run and writes what happened as it goes."""

    def __init__(self, ctx: Context, channels: Mapping[str, Channel], progress: Progress | None,
                 environ: Mapping[str, str] | None) -> None:
        import os

        from kundkit.channels.contract import ChannelRun

        self.ctx = ctx
        self.sendout: dict[str, Any] = {}
        self.channels = channels
        self.progress = progress
        self.run = ChannelRun(config=ctx.config, now=ctx.now(),
                              environ=dict(os.environ if environ is None else environ))
        self.at = stamp(ctx)
        self.sessions: dict[str, ChannelSession] = {}
        self.pending: list[Item] = []  # done, not yet written
        self.held: dict[str, Item] = {}  # handed to a channel that delivers at close
        self.finished: list[Item] = []

    def open(self, names: set[str]) -> None:
        """Open the session of each channel to be used (reading passwords and tokens)."""
        try:
            for name in sorted(names):
                self.sessions[name] = self.channels[name].open(self.run)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        for session in self.sessions.values():
            try:
                session.abort()
            except Exception:  # the first error is the one to report
                pass

    def deliver(self, sendout: dict[str, Any], items: list[Item], skipped: list[Item]
                ) -> list[Item]:
        """Send ``items`` through the open sessions as part of ``sendout``; record ``skipped``."""
        self.sendout = sendout
        self.run.sendout = sendout["id"]
        total, done = len(items), 0
        self.pending.extend(skipped)
        closed = False
        try:
            index = 0
            while index < len(items):
                window = items[index:index + CHUNK]
                self._write(recheck=window)
                started = time.monotonic()
                for item in window:
                    index += 1
                    if item.status == SEND:
                        self._send(item)
                    else:
                        self.pending.append(item)
                    done += 1
                    if self.progress:
                        self.progress(done, total)
                    if time.monotonic() - started > FLUSH_SECONDS:
                        break
            closed = True
            for session in self.sessions.values():
                for customer_id, delivery in session.close().items():
                    item = self.held.pop(customer_id, None)
                    if item is not None:
                        self._result(item, delivery)
            self._write(final=True)
        except BaseException as exc:
            if not closed:
                self.abort()
            # Letters held back were never printed: they stay unsent, for the next run.
            self.held.clear()
            try:
                self._write(final=True, error=str(exc) or type(exc).__name__)
            except Exception:  # the store itself failing: the first error is the one to report
                pass
            raise
        return self.finished

    def _send(self, item: Item) -> None:
        assert item.message is not None and item.channel is not None
        delivery = self.sessions[item.channel].send(item.message, item.recipient)
        if delivery is None:
            self.held[item.customer_id] = item
        else:
            self._result(item, delivery)

    def _result(self, item: Item, delivery: Delivery) -> None:
        item.delivery = delivery
        item.status = delivery.status
        item.reason = delivery.detail
        self.pending.append(item)

    def _recheck(self, tx: Transaction, window: list[Item]) -> None:
        from kundkit.consent import may_send
        from kundkit.customers import get_customer

        for item in window:
            if item.status != SEND or item.message is None:
                continue
            fresh = get_customer(tx, item.customer_id)
            decision = may_send(fresh, self.channels[str(item.channel)].consent,
                                marketing=item.message.marketing)
            if not decision:
                item.status, item.reason, item.message = SKIPPED, decision.reason, None
                item.channel = None

    def _record(self, item: Item) -> dict[str, Any]:
        from kundkit.interactions import new_interaction

        delivery = item.delivery
        channel = self.channels.get(str(item.channel)) if item.channel else None
        marketing = item.message.marketing if item.message else item.marketing
        attempted = delivery is not None and delivery.status in (SENT, FAILED)
        extra: dict[str, Any] = {
            "template": self.sendout["template"], "language": item.language,
            "marketing": marketing, "provider_id": delivery.provider_id if delivery else None,
            "attempts": int((item.existing or {}).get("attempts") or 0) + int(attempted),
            "last_at": self.at,
        }
        if channel is not None and getattr(channel, "keeps_text", False) and \
                item.message is not None and item.status == SENT:
            extra["script"] = f"{item.message.subject}\n\n{item.message.text.strip()}"
        fresh = new_interaction(self.ctx, customer=item.customer_id, channel=item.channel,
                                kind="message", subject=item.subject, sendout=self.sendout["id"],
                                status=item.status, detail=item.reason, at=self.at, extra=extra)
        if item.existing:
            return {**item.existing, **fresh, "id": item.existing["id"],
                    "at": item.existing.get("at", self.at)}
        return fresh

    def _write(self, *, recheck: list[Item] | None = None, final: bool = False,
               error: str | None = None) -> None:
        from kundkit.interactions import (record_interactions, sendout_interactions,
                                          update_interactions)

        partition = self.sendout["partition"]
        pending = list(self.pending)
        with self.ctx.store.transaction() as tx:
            fresh = [self._record(item) for item in pending if not item.existing]
            changed = [self._record(item) for item in pending if item.existing]
            stored = record_interactions(tx, fresh, partition=partition)
            update_interactions(tx, changed, partition)
            if recheck:
                self._recheck(tx, recheck)
            if final:
                record = get_sendout(tx, self.sendout["id"])
                rows = sendout_interactions(tx, record["id"], partition)
                counts: dict[str, dict[str, int]] = {}
                for row in rows:
                    per = counts.setdefault(row.get("channel") or "-", {})
                    per[row["status"]] = per.get(row["status"], 0) + 1
                run = {"at": self.at, "by": self.ctx.actor}
                for status in (SENT, FAILED, SKIPPED):
                    run[status] = sum(1 for i in self.finished + pending if i.status == status)
                record.update(counts=counts, running=None, error=error,
                              status="stopped" if error else "done",
                              runs=[*record.get("runs", []), run])
                replace_doc(tx, TABLE, number_of(record["id"], PREFIX) or 0, record)
                self.sendout = record
        for item, record in zip([i for i in pending if not i.existing], stored):
            item.existing = record
        self.pending = []
        self.finished.extend(pending)
