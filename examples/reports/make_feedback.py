"""Make ``examples/reports/feedback.csv``: two years of the example business's feedback, with
each item's past (when it was answered, resolved and closed), for the reports in docs/reports.md.

Run once (the result is committed); seeded, so running it again gives the same file::

    python examples/reports/make_feedback.py

It reads ``examples/customers.csv`` (the customers get the ids ``kundkit customer import`` gives
them: K1001, K1002, ... in file order). What it models:

* about eight items a month, more in the building season; complaints and claims mostly about
  deliveries and quality, suggestions and comments about service;
* answers in office hours, mostly within the deadline of kundkit.yaml, some late; most items are
  resolved within days, a few after a long wait, and most closed ones are rated 3-5;
* in November 2026 the building firms complain about late deliveries of scaffolding again and
  again (a trend for ``report trends`` to find), and a few items are still open, two of them
  overdue, on the examples' "now", 20 November 2026 at 10:00.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent
SEED = 1120
FIRST_MONTH = (2024, 12)
NOW = datetime(2026, 11, 20, 10, 0)
COLUMNS = ("customer", "kind", "category", "priority", "text", "channel", "received_at", "status",
           "first_response_at", "resolved_at", "closed_at", "resolution", "compensation",
           "satisfaction")

TEXTS = {
    ("complaint", "leverans"): ["Leveransen kom två dagar för sent", "Fel antal i leveransen",
                                "Chauffören lämnade godset utan kvittens"],
    ("complaint", "kvalitet"): ["Borrmaskinens chuck glappar efter en vecka",
                                "Vattenpasset visar fel", "Handtaget på hammaren sprack"],
    ("complaint", "faktura"): ["Fel pris på fakturan", "Rabatten saknas på fakturan"],
    ("complaint", "bemotande"): ["Otrevligt bemötande i telefon"],
    ("claim", "kvalitet"): ["Batteriet laddar inte längre", "Cirkelsågen stannar under last",
                            "Korslasern tappar kalibreringen"],
    ("claim", "leverans"): ["Transportskada på betongblandaren"],
    ("suggestion", "service"): ["Öppna tidigare på morgonen", "Sms när ordern är klar att hämta",
                                "Fler utbildningsdagar på våren"],
    ("comment", "service"): ["Mycket bra hjälp i butiken", "Snabb service på verkstaden"],
    ("comment", "ovrigt"): ["Bra sortiment av skydd"],
}
WEIGHTS = {("complaint", "leverans"): 5, ("complaint", "kvalitet"): 4, ("complaint", "faktura"): 2,
           ("complaint", "bemotande"): 1, ("claim", "kvalitet"): 3, ("claim", "leverans"): 1,
           ("suggestion", "service"): 2, ("comment", "service"): 2, ("comment", "ovrigt"): 1}
TREND = "Försenad leverans av ställningen, vi fick vänta med bygget"


def customers() -> list[tuple[str, str]]:
    with open(EXAMPLES / "customers.csv", encoding="utf-8", newline="") as stream:
        return [(f"K{1001 + n}", row["segment"]) for n, row in enumerate(csv.DictReader(stream))]


def office(moment: datetime) -> datetime:
    """The next moment in office hours (Monday to Friday, 07-17)."""
    while True:
        if moment.weekday() >= 5 or moment.hour >= 17:
            moment = (moment + timedelta(days=1)).replace(hour=8, minute=0)
        elif moment.hour < 7:
            moment = moment.replace(hour=8, minute=0)
        else:
            return moment


def months() -> list[tuple[int, int]]:
    year, month = FIRST_MONTH
    out = []
    while (year, month) <= (NOW.year, NOW.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def item(rng: random.Random, customer: str, kind: str, category: str, text: str,
         received: datetime) -> dict[str, str]:
    row = {"customer": customer, "kind": kind, "category": category, "text": text,
           "priority": "high" if kind in ("complaint", "claim") and rng.random() < 0.15 else "",
           "channel": rng.choice(["phone", "email", "email", "visit", "web"]),
           "received_at": received.isoformat(timespec="minutes")}
    late = rng.random() < 0.12
    answered = office(received + timedelta(minutes=rng.randint(20, 200) if not late
                                           else rng.randint(300, 1500)))
    resolved = office(answered + timedelta(hours=rng.choice([2, 5, 20, 26, 30, 50, 75, 120])))
    closed = resolved + timedelta(days=rng.randint(1, 6))
    if resolved > NOW:
        row.update(status="in-progress" if answered <= NOW else "", first_response_at=answered.
                   isoformat(timespec="minutes") if answered <= NOW else "")
        return row
    row.update(first_response_at=answered.isoformat(timespec="minutes"),
               resolved_at=resolved.isoformat(timespec="minutes"),
               resolution="Åtgärdat" if kind != "suggestion" else "Tack, vi tar med det")
    if kind == "claim" and rng.random() < 0.5:
        row["compensation"] = f"credit {rng.choice([250, 400, 995])}"
    if closed <= NOW:
        row.update(status="closed", closed_at=closed.isoformat(timespec="minutes"))
        if rng.random() < 0.7:
            row["satisfaction"] = str(rng.choice([3, 4, 4, 5, 5, 5, 2]))
    else:
        row["status"] = "resolved"
    return row


def make() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    people = customers()
    builders = [c for c, segment in people if segment == "bygg"]
    pairs, weights = list(WEIGHTS), list(WEIGHTS.values())
    rows = []
    for year, month in months():
        count = 10 if month in (3, 4, 5, 6, 9, 10) else 6
        for _n in range(count):
            day = rng.randint(1, 28)
            received = office(datetime(year, month, day, rng.randint(7, 16), rng.randint(0, 59)))
            if received >= NOW:
                continue
            kind, category = rng.choices(pairs, weights)[0]
            customer, _segment = rng.choice(people)
            rows.append(item(rng, customer, kind, category, rng.choice(TEXTS[(kind, category)]),
                             received))
    for day in (3, 5, 6, 10, 12, 13, 17, 18, 19):
        received = office(datetime(2026, 11, day, rng.randint(7, 15), rng.randint(0, 59)))
        rows.append(item(rng, rng.choice(builders), "complaint", "leverans", TREND, received))
    # Two items left unanswered: past their deadline on the examples' "now".
    rows.append({"customer": builders[0], "kind": "claim", "category": "kvalitet",
                 "text": "Elverket startar inte", "channel": "phone",
                 "received_at": "2026-11-16T09:15"})
    rows.append({"customer": people[-1][0], "kind": "complaint", "category": "faktura",
                 "text": "Dubbelfakturerad för samma order", "channel": "email",
                 "received_at": "2026-11-19T13:40"})
    rows.sort(key=lambda r: r["received_at"])
    return rows


def main() -> None:
    with open(HERE / "feedback.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in make():
            writer.writerow({key: row.get(key, "") for key in COLUMNS})


if __name__ == "__main__":
    main()
