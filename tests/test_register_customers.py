"""Registering, finding, showing and changing customers from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff, field


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    add_staff(kk)
    return business


def add(kk: Any, *args: str, code: int = 0) -> Any:
    return kk("--as", "anna", "--no-input", "customer", "add", *args, code=code)


def test_add_prints_the_new_id_and_stores_canonical_identifiers(shop: Path, kk: Any) -> None:
    result = add(kk, "--name", "Bygg & Montage AB", "--company", "--orgnr", "5560360793",
                 "--email", "Info@ByggMontage.EXAMPLE", "--phone", "021-10 20 30", "--segment", "bygg",
                 "--tag", "vip", "--consent", "email,sms", "--address", "Stenbygatan 4",
                 "--address", "721 30 Västerås")
    assert result.stdout == "K1001\n"
    assert "Registered K1001 Bygg & Montage AB; manager: anna" in result.stderr
    record = json.loads(kk("customer", "show", "K1001", "--format", "json").stdout)
    assert record["orgnr"] == "556036-0793"
    assert record["email"] == "info@byggmontage.example"
    assert record["phone"] == "+4621102030"
    assert record["address"] == ["Stenbygatan 4", "721 30 Västerås"]
    assert record["created_by"] == "anna" and record["created_at"] == "2026-11-20T10:00:00+01:00"
    assert record["consent"]["sms"] == {"given": True, "at": "2026-11-20T10:00:00+01:00",
                                        "how": "at registration", "by": "anna"}
    assert set(record["consent"]) == {"email", "sms"}
    assert record["open_tasks"] == []


def test_ids_are_never_reused(shop: Path, kk: Any) -> None:
    assert add(kk, "--name", "Karin Öhman", "--person").stdout == "K1001\n"
    kk("--no-input", "customer", "forget", "K1001", "--yes")
    assert add(kk, "--name", "Lars Nilsson", "--person").stdout == "K1002\n"


@pytest.mark.parametrize(("args", "message"), [
    (("--company", "--orgnr", "556036-0793"), "missing value for --name"),
    (("--name", "Nils Ek"), "missing value for --company or --person"),
])
def test_a_missing_value_without_a_terminal_names_the_option(shop: Path, kk: Any, args: tuple[str, ...],
                                                              message: str) -> None:
    result = add(kk, *args, code=2)
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "message"), [
    (("--name", "X AB", "--company", "--orgnr", "556036-0794"),
     "Organisation number '556036-0794' has a wrong check digit: the last digit should be 3"),
    (("--name", "X AB", "--company", "--orgnr", "811218-9876"),
     "its third digit must be 2 or more"),
    (("--name", "Y", "--person", "--personnummer", "811218-9875"),
     "Personal identity number '811218-9875' has a wrong check digit"),
    (("--name", "Y", "--person", "--email", "anna@@example.com"), "is not a valid e-mail address"),
    (("--name", "Y", "--person", "--phone", "12"), "'12' is not a valid phone number"),
    (("--name", "Y", "--person", "--segment", "hotell"), "segment: 'hotell' is not one of the segments"),
    (("--name", "Y", "--person", "--manager", "bosse"), "manager: no staff member with id 'bosse'"),
    (("--name", "X AB", "--company"), "missing value for --orgnr"),
])
def test_wrong_values_are_refused_with_the_reason(shop: Path, kk: Any, args: tuple[str, ...],
                                                  message: str) -> None:
    result = add(kk, *args, code=None)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert kk("customer", "list", "--format", "json").stdout == "[]\n"


def test_a_coordination_number_is_accepted(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Jan Kowalski", "--personnummer", "701063-2391")
    record = json.loads(kk("customer", "show", "K1001", "--format", "json").stdout)
    assert (record["kind"], record["personnummer"]) == ("person", "19701063-2391")


def test_duplicates_are_refused_showing_the_match_unless_forced(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Nilssons Bygg AB", "--orgnr", "556036-0793", "--email", "info@nilsson.example")
    add(kk, "--name", "Karin Öhman", "--person", "--phone", "070-174 06 20")
    same_orgnr = add(kk, "--name", "Helt Annat Namn AB", "--orgnr", "5560360793", code=1)
    assert ("looks already registered: K1001 Nilssons Bygg AB (same organisation number)"
            in same_orgnr.stderr)
    same_phone = add(kk, "--name", "K. Öhman", "--person", "--phone", "+46 70 174 06 20", code=1)
    assert "K1002 Karin Öhman (same phone number)" in same_phone.stderr
    same_email = add(kk, "--name", "Nilsson", "--person", "--email", "info@NILSSON.example", code=1)
    assert "K1001 Nilssons Bygg AB (same e-mail address" in same_email.stderr
    similar = add(kk, "--name", "Karin Öhmann", "--person", code=1)
    assert "K1002 Karin Öhman (similar name" in similar.stderr
    assert "--force" in similar.stderr
    assert add(kk, "--name", "Karin Öhmann", "--person", "--force").stdout == "K1003\n"


def test_companies_with_different_numbers_are_not_duplicates_by_name(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Nilssons Bygg AB", "--orgnr", "556036-0793")
    assert add(kk, "--name", "Nilssons Bygg AB", "--orgnr", "556703-7485").stdout == "K1002\n"


def test_list_filters_and_masks_personal_numbers(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Bygg & Montage AB", "--orgnr", "556036-0793", "--segment", "bygg",
        "--manager", "erik", "--tag", "vip")
    add(kk, "--name", "Anna Svensson", "--personnummer", "811218-9876", "--segment", "privat",
        "--manager", "sara", "--email", "anna.s@post.example")
    table = kk("customer", "list").stdout
    assert "19811218-****" in table and "9876" not in table
    rows = json.loads(kk("customer", "list", "--format", "json").stdout)
    assert [r["personnummer"] for r in rows] == [None, "19811218-****"]
    assert set(rows[0]) >= {"id", "name", "kind", "orgnr", "personnummer", "email", "phone", "segment",
                            "manager", "tags", "consent"}

    def ids(*args: str) -> list[str]:
        return [r["id"] for r in json.loads(kk("customer", "list", *args, "--format", "json").stdout)]

    assert ids("--segment", "bygg") == ["K1001"]
    assert ids("--manager", "sara") == ["K1002"]
    assert ids("--tag", "VIP") == ["K1001"]
    assert ids("--kind", "person") == ["K1002"]
    assert ids("--search", "svensson") == ["K1002"]
    assert kk("customer", "list", "--segment", "industri").stderr == "No customers.\n"
    assert field(kk("customer", "show", "K1002").stdout, "Personal identity number") == "19811218-9876"


def test_find_by_phone_number_as_people_write_it(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Erik Johansson", "--phone", "+46701740615", "--person")
    add(kk, "--name", "Bergslagens Mark AB", "--orgnr", "556036-0793", "--contact", "Lena Holm")
    for text in ("070-174 06 15", "0701740615", "K1001", "johansson"):
        rows = json.loads(kk("customer", "find", text, "--format", "json").stdout)
        assert [r["id"] for r in rows] == ["K1001"], text
    assert [r["id"] for r in json.loads(kk("customer", "find", "5560360793", "--format", "json").stdout)] \
        == ["K1002"]
    assert [r["id"] for r in json.loads(kk("customer", "find", "lena holm", "--format", "json").stdout)] \
        == ["K1002"]


def test_show_an_unknown_customer_fails_cleanly(shop: Path, kk: Any) -> None:
    result = kk("customer", "show", "K9999", code=1)
    assert result.stderr == "Error: no customer with id 'K9999' (see 'kundkit customer find')\n"


def test_edit_changes_fields_tags_and_consent(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Anna Svensson", "--person", "--tag", "privat", "--consent", "email,sms")
    kk("--as", "sara", "customer", "edit", "K1001", "--phone", "070-174 06 30", "--add-tag", "vip",
       "--remove-tag", "privat", "--withdraw", "sms", "--consent-how", "phoned in", "--email", "")
    record = json.loads(kk("customer", "show", "K1001", "--format", "json").stdout)
    assert record["phone"] == "+46701740630"
    assert record["tags"] == ["vip"]
    assert record["email"] is None
    assert record["consent"]["email"]["given"] is True
    assert record["consent"]["sms"] == {"given": False, "at": "2026-11-20T10:00:00+01:00",
                                        "how": "phoned in", "by": "sara"}
    bad = kk("customer", "edit", "K1001", "--personnummer", "811218-9875", code=1)
    assert "wrong check digit" in bad.stderr


def test_edit_refuses_an_identifier_of_another_customer(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Anna Svensson", "--person", "--email", "anna@post.example")
    add(kk, "--name", "Lars Berg", "--person")
    result = kk("customer", "edit", "K1002", "--email", "anna@post.example", code=1)
    assert "K1001 Anna Svensson (same e-mail address)" in result.stderr
    kk("customer", "edit", "K1002", "--email", "anna@post.example", "--force")


def test_changing_the_kind_checks_the_numbers(shop: Path, kk: Any) -> None:
    add(kk, "--name", "Bygg AB", "--orgnr", "556036-0793")
    result = kk("customer", "edit", "K1001", "--person", code=1)
    assert "a private person has no organisation number" in result.stderr


def test_swedish_messages_and_help(kk_process: Any) -> None:
    kk_process("staff", "import", "examples/staff.csv", env={"KUNDKIT_LANG": "sv"})
    result = kk_process("--no-input", "customer", "add", "--name", "X AB", "--company", "--orgnr",
                        "556036-0794", code=1, env={"KUNDKIT_LANG": "sv"})
    assert "kontrollsiffra" in result.stderr
    help_text = " ".join(kk_process("customer", "add", "--help", env={"KUNDKIT_LANG": "sv"}).stdout.split())
    assert "Registrera en kund; skriver ut det nya kundnumret." in help_text
    assert "Organisationsnummer (NNNNNN-NNNN), för ett företag." in help_text
    listing = kk_process("customer", "list", env={"KUNDKIT_LANG": "sv"})
    assert listing.stderr == "Inga kunder.\n"


EVENT_PLUGIN = '''
from kundkit import hookimpl


@hookimpl
def customer_created(ctx, customer):
    # Called after the commit: a new transaction already sees the customer.
    from kundkit.customers import get_customer

    with ctx.store.read() as tx:
        stored = get_customer(tx, customer["id"])
    with open(ctx.config.resolve("created.log"), "a", encoding="utf-8") as fh:
        fh.write(f"{stored['id']} {stored['name']}\\n")
'''


def test_customer_created_fires_after_the_commit(shop: Path, kk: Any) -> None:
    (shop / "plugins").mkdir(exist_ok=True)
    (shop / "plugins" / "events.py").write_text(EVENT_PLUGIN, encoding="utf-8")
    config = shop / "kundkit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "plugins:\n  - plugins/\n", encoding="utf-8")
    add(kk, "--name", "Åsa Öberg", "--person")
    (shop / "many.csv").write_text("name,kind\nBo Ek,person\nLi Ek,person\n", encoding="utf-8")
    kk("customer", "import", "many.csv")  # a migration: no events
    kk("customer", "import", "many.csv", "--events", "--force")
    assert (shop / "created.log").read_text(encoding="utf-8") == "K1001 Åsa Öberg\nK1004 Bo Ek\nK1005 Li Ek\n"
