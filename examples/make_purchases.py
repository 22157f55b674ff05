"""Make ``examples/purchases.csv``: three years of purchases of the example business's customers.

Run once (the result is committed); seeded, so running it again gives the same file::

    python examples/make_purchases.py

It reads ``customers.csv``, ``products.csv`` and ``staff.csv`` next to it. The customers get the
ids ``kundkit customer import`` gives them (K1001, K1002, ... in file order). What it models:

* building firms buy most and most often, industry a little less, the public sector seldom but
  in bulk, private persons a few times a year;
* consumables go by the box and often, machines now and then, rental by the week;
* the building season: busy from March to June and in the autumn, quiet in July and December;
* prices as invoiced: list prices were about 6 % lower in 2024 and 3 % lower in 2025, and some
  building firms have a negotiated price on consumables;
* the inactive product (``active: no``) was sold until it was taken out of the range.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_DAY = date(2024, 1, 2)
LAST_DAY = date(2026, 11, 13)
SEED = 2026

# Orders per year by segment, and how many lines an order has (min, max).
ORDERS_PER_YEAR = {"bygg": 20, "industri": 12, "offentlig": 6, "privat": 3}
LINES_PER_ORDER = {"bygg": (1, 5), "industri": (1, 4), "offentlig": (2, 6), "privat": (1, 2)}
# How likely a line is from each category, by segment.
CATEGORY_TASTE = {
    "bygg": {"förbrukning": 8, "handverktyg": 5, "maskiner": 3, "tillbehör": 3, "skydd": 3,
             "uthyrning": 1, "mätinstrument": 1, "service": 1},
    "industri": {"förbrukning": 4, "tillbehör": 4, "maskiner": 3, "skydd": 4, "handverktyg": 2,
                 "service": 2, "mätinstrument": 1},
    "offentlig": {"skydd": 5, "handverktyg": 4, "förbrukning": 3, "maskiner": 2, "service": 2,
                  "tillbehör": 2, "mätinstrument": 1},
    "privat": {"handverktyg": 5, "maskiner": 3, "tillbehör": 3, "förbrukning": 3, "skydd": 1,
               "service": 1},
}
QUANTITY = {"förbrukning": (2, 20), "skydd": (1, 10), "handverktyg": (1, 4), "tillbehör": (1, 4),
            "maskiner": (1, 2), "mätinstrument": (1, 1), "service": (1, 6), "uthyrning": (1, 4)}
BULK = {"offentlig": 3, "bygg": 1.5}          # public and building buyers order more of each
SEASON = {1: 0.7, 2: 0.8, 3: 1.2, 4: 1.4, 5: 1.5, 6: 1.3, 7: 0.4, 8: 1.0, 9: 1.3, 10: 1.2,
          11: 1.0, 12: 0.6}
PRICE_LEVEL = {2024: Decimal("0.94"), 2025: Decimal("0.97"), 2026: Decimal("1")}
DISCONTINUED = date(2025, 6, 30)               # the inactive product's last day in the range


def read(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def order_days(rng: random.Random, per_year: float) -> list[date]:
    """The days a customer orders on: a Poisson-like stream, busier in the building season."""
    days = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5 and rng.random() < per_year / 250 * SEASON[day.month]:
            days.append(day)
        day += timedelta(days=1)
    return days


def main() -> None:
    rng = random.Random(SEED)
    customers = read("customers.csv")
    products = read("products.csv")
    sellers = [s["id"] for s in read("staff.csv") if s["role"] in ("sales", "key account")]
    by_category: dict[str, list[dict[str, str]]] = {}
    for product in products:
        by_category.setdefault(product["category"], []).append(product)
    rows = []
    for index, customer in enumerate(customers):
        customer_id = f"K{1001 + index}"
        segment = customer["segment"]
        # Each customer mostly deals with one seller, the way a permanent manager works.
        usual = customer.get("manager") or rng.choice(sellers)
        negotiated = segment == "bygg" and rng.random() < 0.4
        tastes = CATEGORY_TASTE[segment]
        for day in order_days(rng, ORDERS_PER_YEAR[segment] * rng.uniform(0.5, 1.6)):
            seller = usual if rng.random() < 0.8 else rng.choice(sellers)
            wanted = rng.randint(*LINES_PER_ORDER[segment])
            picked: dict[str, tuple[dict[str, str], int]] = {}
            for _n in range(wanted):
                category = rng.choices(list(tastes), weights=list(tastes.values()))[0]
                choices = [p for p in by_category.get(category, [])
                           if p["active"] == "yes" or day <= DISCONTINUED]
                if not choices:
                    continue
                product = rng.choice(choices)
                low, high = QUANTITY[category]
                quantity = rng.randint(low, max(low, round(high * BULK.get(segment, 1))))
                picked[product["sku"]] = (product, quantity)
            for product, quantity in picked.values():
                list_price = Decimal(product["price"])
                price = cents(list_price * PRICE_LEVEL[day.year])
                if negotiated and product["category"] == "förbrukning":
                    price = cents(price * Decimal("0.92"))
                # Most lines were invoiced at the list price of the day and need no unit price;
                # the file gives one where it differs from today's list.
                unit_price = "" if price == list_price else f"{price}"
                rows.append({"order": "", "date": day.isoformat(), "customer": customer_id,
                             "sku": product["sku"], "quantity": str(quantity),
                             "unit_price": unit_price, "seller": seller})
    rows.sort(key=lambda r: (r["date"], r["customer"]))
    numbers: dict[tuple[str, str], str] = {}
    per_year: dict[str, int] = {}
    for row in rows:
        key = (row["date"], row["customer"])
        if key not in numbers:
            year = row["date"][:4]
            per_year[year] = per_year.get(year, 0) + 1
            numbers[key] = f"NV-{year}-{per_year[year]:05d}"
        row["order"] = numbers[key]
    with open(HERE / "purchases.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["order", "date", "customer", "sku", "quantity",
                                                     "unit_price", "seller"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} lines, {len(numbers)} orders -> {HERE / 'purchases.csv'}")


if __name__ == "__main__":
    main()
