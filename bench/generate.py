"""Synthetic businesses for the benchmark: seeded, so that every run measures the same data.

Writes the files that kundkit's own import commands read (the columns are those of
``docs/``/``examples/``): ``staff.csv``, ``products.csv``, ``customers.csv``, ``purchases.csv``
and ``feedback.csv``. Identity numbers are valid (check digits as in :mod:`kundkit.identity`),
unique, and so are e-mail addresses and phone numbers, so a register imports without a problem.

Usage::

    python bench/generate.py OUT --customers 10000 --lines 100000 [--seed 2026]
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

# The purchase history ends before the benchmark's frozen "now" (run.py sets KUNDKIT_NOW), so the
# month of "now" holds only what the benchmark itself records.
HISTORY_END = date(2026, 10, 31)
HISTORY_START = HISTORY_END - timedelta(days=3 * 365 - 1)
NOW = "2026-11-20T10:00:00+01:00"
SEGMENTS = ("bygg", "industri", "offentlig", "privat")

_FIRST = ("Anna Eva Maria Karin Sara Lena Kerstin Emma Ingrid Malin Sofia Linnea Elin Ida Johanna "
          "Hanna Ulla Birgitta Marie Elsa Lars Mikael Anders Johan Erik Per Karl Peter Jan Thomas "
          "Daniel Fredrik Hans Bengt Mats Magnus Oskar Nils Olle Gustav Axel Jonas Viktor Henrik").split()
_SURNAME_HEAD = ("Berg Lind Sand Ek Holm Sjö Gran Ljung Björk Strand Dahl Nord Fors Hag Kvarn Löv "
                 "Eng Ros Falk Wik Ås Mal Åker Stål Hed").split()
_SURNAME_TAIL = "ström qvist gren berg lund dahl man holm sten blad vall borg".split()
_PATRONYMIC = ("Anders Johan Karl Nils Erik Lars Olof Per Sven Gustav Jons Pers Mats Magnus Hans "
               "Jakob Petter Nilas").split()
_PLACE = ("Västerås Köping Arboga Sala Fagersta Enköping Eskilstuna Hallstahammar Surahammar Kungsör "
          "Norberg Skinnskatteberg Heby Uppsala Örebro Strängnäs Torshälla Kolbäck Tillberga Barkarö "
          "Irsta Romfartuna Dingtuna Kärrbo Lillhärad Björksta").split()
_TRADE = {"bygg": ("Bygg", "Snickeri", "Måleri", "Takläggning", "Golv", "Rör", "El", "Mark"),
          "industri": ("Mekaniska", "Verkstad", "Industri", "Svets", "Plåt", "Automation"),
          "offentlig": ("kommun", "Fastighetsförvaltning", "Tekniska verken", "Skolfastigheter")}
_STREETS = ("Storgatan Kungsgatan Verkstadsgatan Industrivägen Stenbygatan Glasgatan Hallsta "
            "Björkvägen Tallvägen Granvägen Smedjegatan Kopparbergsvägen Vasagatan").split()
_CATEGORIES = {  # category: (share of products, price range, weights, share of locomotives)
    "maskiner": (0.25, (995, 9995), ("1.5", "2", "3"), 0.25),
    "handverktyg": (0.30, (99, 1495), ("1", "1.5"), 0.05),
    "förbrukning": (0.30, (19, 399), ("0.5", "1"), 0.0),
    "skydd": (0.10, (49, 899), ("1",), 0.0),
    "service": (0.05, (450, 1500), ("1",), 0.0),
}
_SKU_PREFIX = {"maskiner": "MAS", "handverktyg": "HAN", "förbrukning": "FBR", "skydd": "SKY",
               "service": "SRV"}
_FEEDBACK = {"complaint": ("Leveransen var försenad.", "Fel artikel levererades.",
                           "Personalen i kassan var otrevlig."),
             "claim": ("Borrmaskinen slutade fungera efter en vecka.", "Batteriet laddar inte."),
             "suggestion": ("Öppna tidigare på lördagar.", "Sälj fler sorters skruv i lösvikt."),
             "comment": ("Bra service på verkstaden!", "Snabb hjälp i telefon.")}


@dataclass(frozen=True)
class Spec:
    """The size of a business. ``lines`` purchase lines spread over three years."""

    customers: int = 10_000
    lines: int = 100_000
    products: int = 200
    staff: int = 20
    feedback: int | None = None  # default: one item per 20 customers
    seed: int = 2026

    @property
    def feedback_items(self) -> int:
        return self.feedback if self.feedback is not None else max(5, self.customers // 20)


def luhn_digit(digits: str) -> int:
    """The check digit over the 9 digits of an organisation or personal identity number."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def orgnr(rng: random.Random, taken: set[str]) -> str:
    """A new valid organisation number (aktiebolag: 556xxx-xxxx to 559xxx-xxxx)."""
    while True:
        nine = "55" + rng.choice("6789") + "".join(rng.choice("0123456789") for _ in range(6))
        value = f"{nine[:6]}-{nine[6:]}{luhn_digit(nine)}"
        if value not in taken:
            taken.add(value)
            return value


def personnummer(rng: random.Random, taken: set[str]) -> str:
    """A new valid personal identity number ``YYYYMMDD-NNNN``, born 1940–2005."""
    first = date(1940, 1, 1).toordinal()
    last = date(2005, 12, 31).toordinal()
    while True:
        born = date.fromordinal(rng.randint(first, last))
        serial = f"{rng.randint(0, 999):03d}"
        nine = born.strftime("%y%m%d") + serial
        value = f"{born:%Y%m%d}-{serial}{luhn_digit(nine)}"
        if value not in taken:
            taken.add(value)
            return value


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": ".", "&": "", "-": "."})
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == ".").strip(".")


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def staff_rows(spec: Spec, rng: random.Random) -> list[dict[str, str]]:
    rows, ids = [], set()
    for n in range(spec.staff):
        first = _FIRST[n % len(_FIRST)] if n < len(_FIRST) else rng.choice(_FIRST)
        last = rng.choice(_SURNAME_HEAD) + rng.choice(_SURNAME_TAIL)
        staff_id = _slug(first)
        if staff_id in ids:
            staff_id = f"{staff_id}{n}"
        ids.add(staff_id)
        role = "sales" if n < spec.staff * 3 // 4 else ("service" if n % 2 else "office")
        rows.append({"id": staff_id, "name": f"{first} {last}",
                     "email": f"{staff_id}@bench.example", "role": role})
    return rows


def product_rows(spec: Spec, rng: random.Random) -> list[dict[str, str]]:
    rows = []
    names = list(_CATEGORIES)
    shares = [_CATEGORIES[c][0] for c in names]
    for n in range(spec.products):
        category = names[n % len(names)] if n < len(names) else rng.choices(names, shares)[0]
        _share, (low, high), weights, loco = _CATEGORIES[category]
        price = Decimal(rng.randint(low, high)) - Decimal("0.05") * rng.randint(0, 1)
        cost = price * Decimal(rng.choice(("0.55", "0.6", "0.65", "0.7")))
        rows.append({"sku": f"{_SKU_PREFIX[category]}-{n + 1:04d}",
                     "name": f"{category.capitalize()} artikel {n + 1}", "category": category,
                     "price": _money(price), "cost": _money(cost), "weight": rng.choice(weights),
                     "locomotive": "yes" if rng.random() < loco else "no", "active": "yes"})
    if not any(r["locomotive"] == "yes" for r in rows):
        rows[0]["locomotive"] = "yes"
    return rows


def customer_rows(spec: Spec, rng: random.Random, staff: list[dict[str, str]]) -> list[dict[str, str]]:
    """Companies (about a third) and private persons. Names repeat, as they do in a real register
    of this size; numbers, e-mail addresses and phone numbers do not."""
    sales = [s["id"] for s in staff if s["role"] == "sales"] or [s["id"] for s in staff]
    numbers: set[str] = set()
    phones: set[str] = set()
    rows = []
    for n in range(spec.customers):
        company = rng.random() < 0.35
        while True:
            phone = f"07{rng.choice('0236')}-{rng.randint(1000000, 9999999)}"
            if phone not in phones:
                phones.add(phone)
                break
        street = f"{rng.choice(_STREETS)} {rng.randint(1, 80)}"
        town = rng.choice(_PLACE)
        address = f"{street};{rng.randint(100, 999)} {rng.randint(10, 99)} {town}"
        contact_first, contact_last = rng.choice(_FIRST), rng.choice(_SURNAME_HEAD) + rng.choice(_SURNAME_TAIL)
        if company:
            segment = rng.choices(("bygg", "industri", "offentlig"), (6, 3, 1))[0]
            trade = rng.choice(_TRADE[segment])
            name = f"{town} {trade} AB" if segment != "offentlig" else f"{town} {trade}"
            if rng.random() < 0.7:
                name = f"{contact_last}s {trade} AB" if segment != "offentlig" else name
            row = {"name": name, "kind": "company", "orgnr": orgnr(rng, numbers), "personnummer": "",
                   "contact": f"{contact_first} {contact_last}",
                   "email": f"info{n}@{_slug(name.replace(' AB', ''))[:24]}.example"}
        else:
            segment = "privat"
            last = (rng.choice(_SURNAME_HEAD) + rng.choice(_SURNAME_TAIL) if rng.random() < 0.6
                    else rng.choice(_PATRONYMIC) + "sson")
            name = f"{rng.choice(_FIRST)} {last}"
            row = {"name": name, "kind": "person", "orgnr": "", "personnummer": personnummer(rng, numbers),
                   "contact": "", "email": f"{_slug(name)}.{n}@mail.example"}
        row.update({"phone": phone, "address": address, "segment": segment,
                    "manager": rng.choice(sales) if rng.random() < 0.9 else "",
                    "tags": "ramavtal" if company and rng.random() < 0.1 else "",
                    "consent": rng.choice(("email", "email;sms", "", "post")), "notes": ""})
        rows.append(row)
    return rows


def purchase_rows(spec: Spec, rng: random.Random, customers: list[dict[str, str]],
                  products: list[dict[str, str]],
                  staff: list[dict[str, str]], lines: int | None = None,
                  order_prefix: str = "W") -> list[dict[str, str]]:
    """``lines`` purchase lines over the three years before :data:`HISTORY_END`, oldest first.

    A few customers buy much more than most (Pareto weights, capped so that no private person
    buys daily); companies three times as often as persons;
    consumables more often than machines. Orders have 1–6 lines; a fifth are at a negotiated price.
    """
    wanted = spec.lines if lines is None else lines
    sales = [s["id"] for s in staff if s["role"] == "sales"] or [s["id"] for s in staff]
    weights = [min(rng.paretovariate(1.5), 40.0) * (3 if c["kind"] == "company" else 1) for c in customers]
    cum_customers = _cumulative(weights)
    product_weights = [{"förbrukning": 6, "handverktyg": 3, "skydd": 2, "maskiner": 1, "service": 1}
                       [p["category"]] for p in products]
    cum_products = _cumulative(product_weights)
    start = HISTORY_START
    span = (HISTORY_END - start).days
    orders: list[tuple[date, list[dict[str, str]]]] = []
    made = 0
    number = 0
    while made < wanted:
        number += 1
        day = start + timedelta(days=rng.randint(0, span))
        if day.weekday() == 6 and rng.random() < 0.8:  # the shop is mostly closed on Sundays
            day -= timedelta(days=1)
        customer = f"K{1001 + rng.choices(range(len(customers)), cum_weights=cum_customers)[0]}"
        seller = rng.choice(sales) if rng.random() < 0.9 else ""
        size = min(wanted - made, 1 + min(5, int(rng.expovariate(0.7))))
        picked = rng.choices(range(len(products)), cum_weights=cum_products, k=size)
        rows = []
        for index in dict.fromkeys(picked):
            product = products[index]
            quantity = rng.randint(1, 3) if product["category"] in ("maskiner", "service") else rng.randint(1, 12)
            price = ""
            if rng.random() < 0.2:
                price = _money(Decimal(product["price"]) * Decimal(rng.choice(("0.85", "0.9", "0.95"))))
            rows.append({"order": f"{order_prefix}{number:07d}", "date": day.isoformat(),
                         "customer": customer, "sku": product["sku"], "quantity": str(quantity),
                         "unit_price": price, "seller": seller})
        made += len(rows)
        orders.append((day, rows))
    orders.sort(key=lambda pair: pair[0])
    return [row for _day, rows in orders for row in rows]


def feedback_rows(spec: Spec, rng: random.Random, staff: list[dict[str, str]]) -> list[dict[str, str]]:
    service = [s["id"] for s in staff if s["role"] != "sales"] or [s["id"] for s in staff]
    rows = []
    for _n in range(spec.feedback_items):
        kind = rng.choices(list(_FEEDBACK), (4, 2, 2, 2))[0]
        day = HISTORY_END - timedelta(days=rng.randint(0, 365))
        received = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59),
                            tzinfo=ZoneInfo("Europe/Stockholm"))
        rows.append({"customer": f"K{1001 + rng.randrange(spec.customers)}", "kind": kind,
                     "category": rng.choice(("delivery", "quality", "service", "invoice")),
                     "text": rng.choice(_FEEDBACK[kind]),
                     "channel": rng.choice(("email", "phone", "visit")),
                     "priority": rng.choice(("normal", "normal", "high")),
                     "assignee": rng.choice(service),
                     "received_at": received.isoformat()})
    return rows


def counter_customers(seed: int, count: int) -> list[dict[str, str]]:
    """New customers registered at the counter while the benchmark runs: names that no register
    customer (nor another of these) resembles, so that kundkit's duplicate check runs in full and
    finds nothing, and e-mail addresses and phone numbers of their own."""
    rng = random.Random(f"{seed}-counter")
    # No name in the register has a word starting with q, x, y or z; the duplicate check compares
    # names that share the first three letters of a word, and these share none.
    onsets = ["q", "x", "y", "z"]
    letters = "bcdfghjklmnprstv"
    vowels = "aeiouy"
    if 2 * count > len(onsets) * len(vowels) * len(letters):
        raise ValueError(f"at most {len(onsets) * len(vowels) * len(letters) // 2} counter customers")
    used: set[str] = set()
    phones: set[str] = set()

    def word() -> str:
        while True:
            head = rng.choice(onsets) + rng.choice(vowels) + rng.choice(letters)
            if head not in used:
                used.add(head)
                tail = "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(1, 3)))
                return (head + tail).capitalize()

    out = []
    for n in range(count):
        name = f"{word()} {word()}"
        while True:
            # 079 is not used by the register, so no phone number repeats one there.
            phone = f"079-{rng.randint(1_000_000, 9_999_999)}"
            if phone not in phones:
                phones.add(phone)
                break
        out.append({"name": name, "email": f"{name.lower().replace(' ', '.')}.{n}@counter.example",
                    "phone": phone})
    return out


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return out


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


STAFF_COLUMNS = ["id", "name", "email", "role"]
PRODUCT_COLUMNS = ["sku", "name", "category", "price", "cost", "weight", "locomotive", "active"]
CUSTOMER_COLUMNS = ["name", "kind", "orgnr", "personnummer", "contact", "email", "phone", "address",
                    "segment", "manager", "tags", "consent", "notes"]
PURCHASE_COLUMNS = ["order", "date", "customer", "sku", "quantity", "unit_price", "seller"]
FEEDBACK_COLUMNS = ["customer", "kind", "category", "text", "channel", "priority", "assignee",
                    "received_at"]


@dataclass
class Generated:
    folder: Path
    staff: Path
    products: Path
    customers: Path
    purchases: Path
    feedback: Path
    staff_rows: list[dict[str, str]]
    product_rows: list[dict[str, str]]
    customer_rows: list[dict[str, str]]


def generate(spec: Spec, folder: Path) -> Generated:
    """Write the CSV files of a business of size ``spec`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    # One generator per file, so that changing the size of one file leaves the others as they were.
    staff = staff_rows(spec, random.Random(f"{spec.seed}-staff"))
    products = product_rows(spec, random.Random(f"{spec.seed}-products"))
    customers = customer_rows(spec, random.Random(f"{spec.seed}-customers"), staff)
    purchases = purchase_rows(spec, random.Random(f"{spec.seed}-purchases"), customers, products, staff)
    feedback = feedback_rows(spec, random.Random(f"{spec.seed}-feedback"), staff)
    return Generated(
        folder=folder,
        staff=write_csv(folder / "staff.csv", staff, STAFF_COLUMNS),
        products=write_csv(folder / "products.csv", products, PRODUCT_COLUMNS),
        customers=write_csv(folder / "customers.csv", customers, CUSTOMER_COLUMNS),
        purchases=write_csv(folder / "purchases.csv", purchases, PURCHASE_COLUMNS),
        feedback=write_csv(folder / "feedback.csv", feedback, FEEDBACK_COLUMNS),
        staff_rows=staff, product_rows=products, customer_rows=customers,
    )


def extra_purchases(spec: Spec, generated: Generated, lines: int, name: str) -> Path:
    """Another purchase file of ``lines`` lines for the same customers (e.g. 300k for the linearity
    check), with its own order ids."""
    rows = purchase_rows(spec, random.Random(f"{spec.seed}-purchases-{lines}"), generated.customer_rows,
                         generated.product_rows, generated.staff_rows, lines=lines, order_prefix="X")
    return write_csv(generated.folder / name, rows, PURCHASE_COLUMNS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the CSV files into")
    parser.add_argument("--customers", type=int, default=Spec.customers)
    parser.add_argument("--lines", type=int, default=Spec.lines, help="purchase lines")
    parser.add_argument("--products", type=int, default=Spec.products)
    parser.add_argument("--staff", type=int, default=Spec.staff)
    parser.add_argument("--seed", type=int, default=Spec.seed)
    args = parser.parse_args(argv)
    spec = Spec(customers=args.customers, lines=args.lines, products=args.products, staff=args.staff,
                seed=args.seed)
    made = generate(spec, args.out)
    for path in (made.staff, made.products, made.customers, made.purchases, made.feedback):
        print(path)


if __name__ == "__main__":
    main()
