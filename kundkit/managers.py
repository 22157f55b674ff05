"""Choosing a customer's permanent manager by the strategy in ``kundkit.yaml``.

``least-loaded`` gives the new customer to the active staff member with the fewest customers,
``round-robin`` takes the staff in turn (the last one chosen is kept in the store), and
``by-segment`` maps segments to staff (least-loaded among several), falling back to another
strategy for unmapped segments. ``customers.managers.roles`` limits who may manage customers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.customers import iter_customers, settings

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction


class ManagerPicker:
    """Chooses a permanent manager for new customers by the strategy in ``kundkit.yaml``.

    One picker serves a whole batch: it counts the customers it hands out, so that an import of
    300 customers spreads them as 300 single additions would.
    """

    def __init__(self, ctx: Context, tx: Transaction, strategy: str | None = None) -> None:
        from kundkit.staff import active_staff

        self.ctx, self.tx = ctx, tx
        self.settings = settings(ctx)
        self.strategy = strategy or self.settings.strategy
        staff = active_staff(tx)
        if self.settings.roles:
            staff = [s for s in staff if s.get("role") in self.settings.roles]
        self.eligible = [s["id"] for s in staff]
        self._loads: dict[str, int] | None = None
        self._last: str | None = (tx.meta.get("register") or {}).get("round_robin_last")

    def loads(self) -> dict[str, int]:
        if self._loads is None:
            loads = {sid: 0 for sid in self.eligible}
            for record in iter_customers(self.tx):
                manager = record.get("manager")
                if manager in loads and not record.get("forgotten_at"):
                    loads[manager] += 1
            self._loads = loads
        return self._loads

    def least_loaded(self, among: list[str]) -> str | None:
        """The one of ``among`` with the fewest customers (the first id on a tie)."""
        if not among:
            return None
        loads = self.loads()
        return min(among, key=lambda sid: (loads.get(sid, 0), sid))

    def _round_robin(self) -> str | None:
        if not self.eligible:
            return None
        later = [sid for sid in self.eligible if self._last is None or sid > self._last]
        chosen = later[0] if later else self.eligible[0]
        self._last = chosen
        register = dict(self.tx.meta.get("register") or {})
        register["round_robin_last"] = chosen
        self.tx.set_meta("register", register)
        return chosen

    def _by(self, strategy: str, segment: str | None) -> str | None:
        if strategy == "least-loaded":
            return self.least_loaded(self.eligible)
        if strategy == "round-robin":
            return self._round_robin()
        if strategy == "by-segment":
            mapped = [sid for sid in self.settings.by_segment.get(segment or "", []) if sid in self.eligible]
            if mapped:
                return self.least_loaded(mapped)
            fallback = self.settings.fallback if self.settings.fallback != "by-segment" else "least-loaded"
            return self._by(fallback, segment)
        return None

    def pick(self, customer: dict[str, Any]) -> str | None:
        chosen = self._by(self.strategy, customer.get("segment"))
        if chosen is not None and self._loads is not None:
            self._loads[chosen] = self._loads.get(chosen, 0) + 1
        return chosen
