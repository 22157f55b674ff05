"""``discount simulate``: what the customers would have received over a period under other
discount settings, compared with the settings in force and with what was actually granted.

Every sale is replayed in date order. Before the period, the customers' history is the recorded
one (their actual net purchases; points earned by each setup's own rules); within the period each
sale is priced afresh by each setup, and that setup's net is what counts towards the customer's
later discounts. Credit notes take the voided sale's net off again, as they do in the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.discounts.engine import Setup, call_policy, mark_lines, price
from kundkit.discounts.model import ZERO, History, Order, OrderLine

if TYPE_CHECKING:
    from kundkit.store import Transaction


@dataclass
class SegmentEffect:
    segment: str
    customers: set[str] = field(default_factory=set)
    sales: int = 0
    gross: Decimal = ZERO
    recorded: Decimal = ZERO
    discounts: dict[str, Decimal] = field(default_factory=dict)

    def as_dict(self, names: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"segment": self.segment, "customers": len(self.customers),
                               "sales": self.sales, "gross": str(self.gross),
                               "recorded": str(self.recorded)}
        for name in names:
            out[name] = str(self.discounts.get(name, ZERO))
        return out


class _Replay:
    """One setup's view of every customer's running totals during the replay."""

    def __init__(self, name: str, setup: Setup, voided: set[str]) -> None:
        self.name, self.setup, self.voided = name, setup, voided
        self.daily: dict[str, dict[str, Decimal]] = {}
        self.state: dict[str, dict[str, Any]] = {}
        # Only the sales that a credit note voids later are remembered (day, net, record), so that
        # a replay of years of history does not hold every record twice.
        self.nets: dict[str, tuple[str, Decimal, dict[str, Any]]] = {}

    def history(self, customer: str) -> Any:
        daily = self.daily.setdefault(customer, {})
        state = self.state.setdefault(customer, {})

        def for_policy(policy: str) -> History:
            return History(customer, daily, state.get(policy, {}))

        return for_policy

    def book(self, customer: dict[str, Any], record: dict[str, Any], net: Decimal) -> None:
        cid = customer["id"]
        daily = self.daily.setdefault(cid, {})
        daily[record["date"]] = daily.get(record["date"], ZERO) + net
        if record["id"] in self.voided:
            self.nets[record["id"]] = (record["date"], net, record)
        self._policies(customer, record, "on_purchase", purchase=record)

    def unbook(self, customer: dict[str, Any], credit: dict[str, Any]) -> None:
        found = self.nets.get(credit["credits"])
        if found is None:
            return
        day, net, original = found
        daily = self.daily.setdefault(customer["id"], {})
        daily[day] = daily.get(day, ZERO) - net
        self._policies(customer, credit, "on_void", purchase=original, credit=credit)

    def _policies(self, customer: dict[str, Any], record: dict[str, Any], method: str,
                  **kwargs: Any) -> None:
        state = self.state.setdefault(customer["id"], {})
        history = self.history(customer["id"])
        for active in self.setup.policies:
            new = call_policy(active.policy, method, settings=active.settings, customer=customer,
                              history=history(active.name), **kwargs)
            if new is not None:
                state[active.name] = new


def _order(setup: Setup, record: dict[str, Any]) -> Order:
    lines = [OrderLine(sku=line["sku"], quantity=line["quantity"],
                       unit_price=Decimal(line["unit_price"]), name=line.get("name") or "",
                       category=line.get("category") or "",
                       locomotive=bool(line.get("locomotive")))
             for line in record["lines"]]
    return Order(customer=record["customer"], date=date.fromisoformat(record["date"]),
                 lines=mark_lines(setup, lines), currency=setup.currency, seller=record.get("seller"))


def _repriced(setup: Setup, record: dict[str, Any], priced: Any) -> dict[str, Any]:
    """The record as this setup would have written it, as far as the policies' own bookkeeping
    reads it (the lines are the recorded ones)."""
    return {"id": record["id"], "kind": "sale", "date": record["date"], "customer": record["customer"],
            "seller": record.get("seller"), "lines": record["lines"], "gross": record["gross"],
            "discount": priced.discount, "net": str(priced.net),
            "policies": [active.name for active in setup.policies]}


def simulate(tx: Transaction, setups: Mapping[str, Setup], first: date,
             last: date) -> list[SegmentEffect]:
    """Replay every purchase up to ``last``; effects of the sales dated ``first``–``last`` by
    customer segment (the customer's segment today)."""
    from kundkit.customers import iter_customers
    from kundkit.purchase_store import iter_purchases

    customers = {record["id"]: record for record in iter_customers(tx)}
    voided = {r["credits"] for r in iter_purchases(tx, None, last) if r["kind"] == "credit"}
    replays = [_Replay(name, setup, voided) for name, setup in setups.items()]
    effects: dict[str, SegmentEffect] = {}
    lo = first.isoformat()
    for record in iter_purchases(tx, None, last):
        customer = customers.get(record["customer"]) or {"id": record["customer"]}
        if record["kind"] == "credit":
            for replay in replays:
                replay.unbook(customer, record)
            continue
        if record["date"] < lo:
            for replay in replays:
                replay.book(customer, record, Decimal(record["net"]))
            continue
        segment = str(customer.get("segment") or "")
        effect = effects.setdefault(segment, SegmentEffect(segment))
        if not record.get("voided_by"):
            effect.customers.add(customer["id"])
            effect.sales += 1
            effect.gross += Decimal(record["gross"])
            effect.recorded += Decimal(record["gross"]) - Decimal(record["net"])
        for replay in replays:
            order = _order(replay.setup, record)
            priced = price(replay.setup, customer=customer, order=order,
                           history=replay.history(customer["id"]))
            if not record.get("voided_by"):
                effect.discounts[replay.name] = effect.discounts.get(replay.name, ZERO) + priced.amount
            replay.book(customer, _repriced(replay.setup, record, priced), priced.net)
    return sorted(effects.values(), key=lambda e: e.segment)

