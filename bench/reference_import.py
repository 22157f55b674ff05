"""The reference of target 3: parse a purchase CSV with Python's ``csv`` and insert every row into
SQLite in one transaction. What the simplest correct program would take for the same file.

Usage: ``python bench/reference_import.py purchases.csv out.sqlite``
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path


def main(source: Path, target: Path) -> int:
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute('CREATE TABLE purchase_lines ("order" TEXT, date TEXT, customer TEXT, sku TEXT, '
               "quantity INTEGER, unit_price TEXT, seller TEXT)")
    with open(source, encoding="utf-8", newline="") as stream, db:
        reader = csv.reader(stream)
        next(reader)
        db.executemany("INSERT INTO purchase_lines VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ((o, d, c, s, int(q), p or None, sl or None) for o, d, c, s, q, p, sl in reader))
    count = db.execute("SELECT count(*) FROM purchase_lines").fetchone()[0]
    db.close()
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
