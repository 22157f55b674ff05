"""The reference of target 5: the totals of the customer and plan reports, computed by SQLite from
the same data (loaded once, untimed, from the generated CSV files). Amounts are whole öre, exact.

Usage::

    python bench/reference_report.py prepare DATA_DIR out.sqlite   # untimed, once
    python bench/reference_report.py customers out.sqlite TODAY SINCE   # the measured reference
    python bench/reference_report.py plan out.sqlite TODAY SINCE        # 'report plan --since SINCE'
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path


def _ore(text: str) -> int:
    return int(Decimal(text) * 100)


def prepare(data: Path, target: Path) -> Path:
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.executescript("""
        CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, segment TEXT, manager TEXT);
        CREATE TABLE products (sku TEXT PRIMARY KEY, price INTEGER, cost INTEGER,
                               weight INTEGER, locomotive INTEGER);  -- weight in hundredths
        CREATE TABLE lines ("order" TEXT, date TEXT, customer TEXT, sku TEXT, quantity INTEGER,
                            unit_price INTEGER, seller TEXT);
    """)
    with db:
        with open(data / "customers.csv", encoding="utf-8", newline="") as stream:
            db.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)",
                           ((f"K{1001 + n}", r["name"], r["segment"], r["manager"] or None)
                            for n, r in enumerate(csv.DictReader(stream))))
        with open(data / "products.csv", encoding="utf-8", newline="") as stream:
            db.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?)",
                           ((r["sku"], _ore(r["price"]), _ore(r["cost"] or "0"), _ore(r["weight"]),
                             r["locomotive"] == "yes")
                            for r in csv.DictReader(stream)))
        with open(data / "purchases.csv", encoding="utf-8", newline="") as stream:
            db.executemany("INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((r["order"], r["date"], r["customer"], r["sku"], int(r["quantity"]),
                             _ore(r["unit_price"]) if r["unit_price"] else None, r["seller"] or None)
                            for r in csv.DictReader(stream)))
    db.close()
    return target


# Per customer over the whole history: purchases, revenue, gross margin, first and last purchase,
# and the last twelve months against the twelve before (the trend); the biggest first.
CUSTOMERS = """
    WITH l AS (SELECT l.*, l.quantity * coalesce(l.unit_price, p.price) AS net,
                      l.quantity * p.cost AS cost
               FROM lines l JOIN products p USING (sku))
    SELECT c.id, c.name, c.segment, c.manager, count(DISTINCT l."order"), sum(l.net),
           sum(l.net - l.cost), min(l.date), max(l.date),
           sum(CASE WHEN l.date > date(:today, '-12 months') THEN l.net ELSE 0 END),
           sum(CASE WHEN l.date <= date(:today, '-12 months')
                     AND l.date > date(:today, '-24 months') THEN l.net ELSE 0 END)
    FROM customers c JOIN l ON l.customer = c.id
    GROUP BY c.id ORDER BY sum(l.net - l.cost) DESC
"""
# Per seller over the same window as 'report plan --since': sales, weighted sales (net × the
# product's weight, here in hundredths of öre) and the key products' weighted sales.
PLAN = """
    WITH l AS (SELECT l.seller, l.quantity * coalesce(l.unit_price, p.price) AS net, p.weight,
                      p.locomotive
               FROM lines l JOIN products p USING (sku)
               WHERE l.date >= :since AND l.date <= :today AND l.seller IS NOT NULL)
    SELECT seller, count(*), sum(net), sum(net * weight),
           sum(CASE WHEN locomotive THEN net * weight ELSE 0 END)
    FROM l GROUP BY seller ORDER BY sum(net * weight) DESC
"""


def report(kind: str, source: Path, today: str, since: str) -> int:
    db = sqlite3.connect(source)
    rows = db.execute(CUSTOMERS if kind == "customers" else PLAN, {"today": today, "since": since}).fetchall()
    out = sys.stdout
    for row in rows:
        out.write("\t".join("" if v is None else str(v) for v in row) + "\n")
    db.close()
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]))
        sys.exit(0)
    sys.exit(report(sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]))
