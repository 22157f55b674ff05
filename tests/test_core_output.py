"""The renderer: records drawn without tabulate look exactly as tabulate draws them; CSV cells
that a spreadsheet would run are neutralised, numbers are not; JSON keeps money exact."""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal

import pytest
from tabulate import tabulate

from kundkit.cli.output import Column, _plain_pairs, neutralise, render, render_record


@pytest.mark.parametrize("seed", range(30))
def test_plain_record_matches_tabulate(seed: int) -> None:
    rng = random.Random(seed)
    words = ["ID", "Namn", "Kundansvarig", "", "Åsa Öberg", " spaced ", "1 234,50 kr", "-SEK 10.00",
             "→ K1001", "x" * 40, "Ünïcödé", "T1001, T1002"]
    rows = [{"field": rng.choice(words[:4] + ["Org.nr", "E-post"]), "value": rng.choice(words)}
            for _ in range(rng.randint(1, 8))]
    drawn = _plain_pairs(rows)
    expected = tabulate([[r["field"], r["value"]] for r in rows], tablefmt="plain",
                        disable_numparse=True, colalign=["left", "left"])
    assert drawn == expected


@pytest.mark.parametrize("seed", range(30))
def test_plain_record_with_cells_of_several_lines_matches_tabulate(seed: int) -> None:
    rng = random.Random(seed)
    values = ["T1 Ring\n  T2 indented \nT3", "  lead\ntrail  ", "Åsa", "", "a\n\nb", "one"]
    fields = ["Open tasks", "Name", "Multi field\nx", "ID"]
    rows = [{"field": rng.choice(fields), "value": rng.choice(values)} for _ in range(rng.randint(1, 6))]
    expected = tabulate([[r["field"], r["value"]] for r in rows], tablefmt="plain",
                        disable_numparse=True, colalign=["left", "left"])
    assert _plain_pairs(rows) == expected


def test_wide_cells_are_left_to_tabulate() -> None:
    assert _plain_pairs([{"field": "Namn", "value": "東京"}]) is None
    out = io.StringIO()
    render_record({"n": "a\nb"}, [Column("n", "Note")], output_format="table", stream=out)
    assert out.getvalue() == "Note  a\n      b\n"


@pytest.mark.parametrize(("cell", "expected"), [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("@cmd", "'@cmd"), ("+46701234567", "+46701234567"),
    ("-12.50", "-12.50"), ("-12,50", "-12,50"), ("+ 1", "'+ 1"), ("-x", "'-x"), ("Åsa", "Åsa"),
    ("\tTAB", "'\tTAB"), ("", ""),
])
def test_csv_neutralises_formulas_but_not_numbers(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_json_keeps_money_as_text_and_csv_as_written() -> None:
    rows = [{"id": "P1", "net": Decimal("1234.50"), "tags": ["a", "b"]}]
    out = io.StringIO()
    render(rows, [Column("id", "ID"), Column("net", "Net", "right")], output_format="json", stream=out)
    assert json.loads(out.getvalue()) == [{"id": "P1", "net": "1234.50", "tags": ["a", "b"]}]
    out = io.StringIO()
    render(rows, [Column("id", "ID"), Column("net", "Net"), Column("tags", "Tags")], output_format="csv",
           stream=out)
    assert out.getvalue() == "id,net,tags\nP1,1234.50,a;b\n"


@pytest.mark.parametrize("seed", range(40))
def test_simple_table_matches_tabulate(seed: int) -> None:
    from kundkit.cli.output import table_text

    rng = random.Random(seed)
    cells = ["K1001", "Mälardalens Bygg AB", "", " padded ", "1 234,50 kr", "-SEK 10.00", "100.2 %",
             "██▍", "Åsa", "x" * 30, "yes", "0"]
    columns = [Column(f"c{i}", rng.choice(["ID", "Name", "Net sales", "Share", "Ö", "Status"]),
                      rng.choice(["left", "right"])) for i in range(rng.randint(1, 6))]
    rows = [{c.key: rng.choice(cells) for c in columns} for _ in range(rng.randint(1, 9))]
    expected = tabulate([[r[c.key] for c in columns] for r in rows], headers=[c.header for c in columns],
                        tablefmt="simple", disable_numparse=True, colalign=[c.align for c in columns])
    assert table_text(rows, columns, "simple") == expected
