"""Importing and exporting the register: all or nothing, every bad row reported with its line,
lossless round trips, and CSV cells that cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff

HEADER = "name,kind,orgnr,personnummer,contact,email,phone,address,segment,manager,tags,consent,notes\n"


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    add_staff(kk)
    return business


def customers(kk: Any) -> list[dict[str, Any]]:
    return json.loads(kk("customer", "list", "--format", "json").stdout)


def test_the_example_register_imports(shop: Path, kk: Any) -> None:
    dry = kk("customer", "import", "examples/customers.csv", "--dry-run")
    assert dry.stderr == "40 rows are valid; nothing was saved (--dry-run).\n"
    assert customers(kk) == []
    result = kk("--as", "anna", "customer", "import", "examples/customers.csv")
    assert result.stdout.split() == [f"K{n}" for n in range(1001, 1041)]
    rows = customers(kk)
    assert len(rows) == 40 and sum(r["kind"] == "person" for r in rows) == 12
    assert all(r["manager"] for r in rows)
    assert {r["manager"] for r in rows if r["segment"] == "privat"} == {"sara", "olle"}
    assert next(r for r in rows if r["name"] == "Bergslagens Mark & Anläggning AB")["manager"] == "erik"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(shop: Path, kk: Any) -> None:
    bad = shop / "bad.csv"
    bad.write_text(
        HEADER
        + "Bra Bygg AB,company,556036-0793,,,,,,bygg,,,,\n"                     # line 2: fine
        + "Fel Siffra AB,company,556036-0794,,,,,,bygg,,,,\n"                    # 3: check digit
        + "Ingen Sort,,,,,,,,,,,,\n"                                             # 4: no kind
        + "Per Person,person,,811218-9875,,per@@post.example,,,privat,,,,\n"   # 5: two problems
        + '"Med Adress AB",company,556703-7485,,,,,"Storgatan 1\n722 11 Västerås",bygg,,,,\n'
        + "Okänd Ansvarig AB,company,556016-6133,,,,,,bygg,bosse,,,\n"          # 8 (7 is the address)
        + "Bra Bygg Aktiebolag,company,5560360793,,,,,,bygg,,,,\n"              # 9: same as line 2
        + ",person,,,,,,,privat,,,fax,\n",                                       # 10: no name, channel
        encoding="utf-8")
    result = kk("customer", "import", "bad.csv", code=1)
    lines = result.stderr.splitlines()
    assert lines == [
        "bad.csv:3:3: orgnr: Organisation number '556036-0794' has a wrong check digit: the last digit "
        "should be 3",
        "bad.csv:4:2: kind: say whether the customer is a company or a person",
        "bad.csv:5:4: personnummer: Personal identity number '811218-9875' has a wrong check digit: "
        "the last digit should be 6",
        lines[3],
        "bad.csv:8:10: manager: no staff member with id 'bosse'",
        "bad.csv:9:1: looks already registered: line 2 of this file Bra Bygg AB (same organisation "
        "number) (use --force to import anyway)",
        "bad.csv:10:1: name: a value is needed",
        "bad.csv:10:12: consent: unknown channel 'fax'; choose from email, sms, post, phone",
    ]
    assert lines[3].startswith("bad.csv:5:6: email: 'per@@post.example' is not a valid e-mail address")
    assert customers(kk) == []
    assert not list((shop / "data").glob("customers*"))


def test_rows_that_repeat_registered_customers_are_refused_unless_forced(shop: Path, kk: Any) -> None:
    kk("--no-input", "customer", "add", "--name", "Karin Öhman", "--person", "--email", "karin@post.example")
    path = shop / "again.csv"
    path.write_text("name,kind,email\nKarin Ö.,person,KARIN@post.example\nNy Kund,person,\n",
                    encoding="utf-8")
    result = kk("customer", "import", "again.csv", code=1)
    assert result.stderr == ("again.csv:2:1: looks already registered: K1001 Karin Öhman (same e-mail "
                             "address) (use --force to import anyway)\n")
    assert len(customers(kk)) == 1
    kk("customer", "import", "again.csv", "--force")
    assert len(customers(kk)) == 3


def test_unknown_columns_and_broken_files(shop: Path, kk: Any) -> None:
    (shop / "cols.csv").write_text("name,kind,fax\nA,person,1\n", encoding="utf-8")
    result = kk("customer", "import", "cols.csv", code=1)
    assert result.stderr.startswith("cols.csv:1:3: unknown column 'fax'; the columns are: id, name,")
    (shop / "bad.json").write_text('[\n  {"name": "A", "kind": "person"},\n  {"name": "B",\n]\n',
                                   encoding="utf-8")
    assert kk("customer", "import", "bad.json", code=1).stderr.startswith("bad.json:4:1: not valid JSON")
    (shop / "latin1.csv").write_bytes("name,kind\nÅsa Öberg,person\n".encode("latin-1"))
    assert "latin1.csv:2:1: the file is not UTF-8 text" in kk("customer", "import", "latin1.csv", code=1).stderr


def test_json_rows_are_located_by_line(shop: Path, kk: Any) -> None:
    rows = [{"name": "Åsa Öberg", "kind": "person"}, {"name": "Bo", "kind": "robot"}]
    (shop / "c.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    result = kk("customer", "import", "c.json", code=1)
    assert result.stderr == "c.json:6:1: kind: 'robot' is neither company nor person\n"


def test_a_swedish_excel_file_with_semicolons_and_a_bom(shop: Path, kk: Any) -> None:
    text = "name;kind;orgnr;phone;segment;tags\nÅkessons Måleri AB;företag;556036-0793;021-10 20 30;bygg;vip,ramavtal\n"
    (shop / "excel.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    kk("customer", "import", "excel.csv")
    [row] = customers(kk)
    assert (row["name"], row["kind"], row["phone"], row["tags"]) == (
        "Åkessons Måleri AB", "company", "+4621102030", ["ramavtal", "vip"])


def _tricky_register(kk: Any) -> None:
    kk("--as", "anna", "--no-input", "customer", "add", "--name", "=HYPERLINK(\"http://x\";\"klicka\")",
       "--company", "--orgnr", "556036-0793", "--contact", "Åsa Öberg", "--phone", "+46 21 10 20 30",
       "--address", "Gärdesgatan 5", "--address", "722 15 Västerås", "--segment", "bygg",
       "--tag", "-minus", "--tag", "ramavtal", "--consent", "email", "--notes", "@SUM(A1) och \"citat\"")
    kk("--as", "erik", "--no-input", "customer", "add", "--name", "'=redan skyddad", "--person",
       "--personnummer", "19811218-9876", "--email", "åsa@post.example", "--language", "en",
       "--preferred-channel", "sms", "--notes", "rad ett\nrad två")
    kk("--as", "erik", "customer", "edit", "K1002", "--withdraw", "post", "--consent-how", "brev")


def test_csv_cells_that_would_run_as_formulas_are_neutralised(shop: Path, kk: Any) -> None:
    _tricky_register(kk)
    text = kk("customer", "export").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://x\";\"klicka\")"
    assert rows[0]["tags"] == "'-minus;ramavtal"
    assert rows[0]["notes"] == "'@SUM(A1) och \"citat\""
    assert rows[0]["phone"] == "+4621102030"      # a number, left alone
    assert rows[1]["name"] == "''=redan skyddad"   # one more quote, so it reads back exactly
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@" or value.startswith("+46")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_into_an_empty_store_loses_nothing(shop: Path, kk: Any, fmt: str,
                                                              tmp_path: Path) -> None:
    _tricky_register(kk)
    kk("--as", "anna", "customer", "import", "examples/customers.csv")
    before = kk("customer", "export", "--format", fmt).stdout
    out = tmp_path / f"register.{fmt}"
    kk("customer", "export", "--format", fmt, "-o", str(out))
    assert out.read_text(encoding="utf-8") == before
    assert "Åsa Öberg" in before and "Västerås" in before

    import shutil

    shutil.rmtree(shop / "data")
    add_staff(kk)
    kk("--as", "maria", "customer", "import", str(out))
    after = kk("customer", "export", "--format", fmt).stdout
    assert after == before
    # The counter moved past the imported ids: the next customer gets a fresh one.
    assert kk("--no-input", "customer", "add", "--name", "Ny Kund", "--person").stdout == "K1043\n"
