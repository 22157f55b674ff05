"""Contacts: the phone channel's call list ticked off by ``contact log``, contacts logged by
hand, the customer's history with guide walks, and forgetting a customer."""

from __future__ import annotations

import json
from pathlib import Path

from channels_support import context, interactions, populate, set_section

OUTBOX = {"order": ["outbox", "letter", "phone"], "templates": "templates"}


def test_the_phone_channel_makes_a_call_list_that_contact_log_ticks_off(kk,
                                                                        business: Path) -> None:
    populate(business)
    set_section(business, "channels", {"order": ["phone"], "templates": "templates"})
    result = kk("news", "send", "--template", "news/december", "--segment", "privat")
    assert "Customers to call: 4 (kundkit contact calls --sendout S1001)" in result.stderr
    calls = json.loads(kk("contact", "calls", "--sendout", "S1001", "--format", "json").stdout)
    # Lars, Karin and Mohammed; Åsa has a phone but no phone consent: fine, phone needs none.
    assert [c["customer"] for c in calls] == ["K1002", "K1003", "K1004", "K1006"]
    lars = calls[1]
    assert (lars["phone"], lars["manager"], lars["manager_name"]) == ("+4684650040" "0", "olle",
                                                                      "Olle Björk")
    assert lars["script"].startswith("Nyheter från Nordbygg Verktyg AB inför jul\n\nHej Lars")
    csv_text = kk("contact", "calls", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == ("sendout,customer,name,contact,phone,manager,"
                                        "manager_name,subject,script,called,id")
    table = kk("contact", "calls").stdout
    assert "08-465 004 00" in table

    logged = kk("--as", "olle", "contact", "log", "K1003", "--channel", "phone", "--note",
                "Vill ha vinterservice på snöslungan")
    call_id = logged.stdout.strip()
    assert "Ticked K1003 off the call list of send-out S1001." in logged.stderr
    left = json.loads(kk("contact", "calls", "--format", "json").stdout)
    assert [c["customer"] for c in left] == ["K1002", "K1004", "K1006"]
    done = json.loads(kk("contact", "calls", "--all", "--format", "json").stdout)
    assert next(c for c in done if c["customer"] == "K1003")["called"] == call_id
    history = [r for r in interactions(business) if r["customer"] == "K1003"]
    assert [(r["kind"], r["channel"]) for r in history] == [("message", "phone"),
                                                            ("call", "phone")]
    assert history[1]["note"] == "Vill ha vinterservice på snöslungan"
    assert history[1]["by"] == "olle" and history[1]["sendout"] == "S1001"


def test_contact_log_records_any_contact_and_asks_for_what_is_missing(kk, business: Path) -> None:
    populate(business)
    visit = kk("--as", "anna", "contact", "log", "K1001", "--channel", "in-person", "--in",
               "--note", "Hämtade beställda borrar")
    rows = interactions(business)
    assert rows[0]["id"] == visit.stdout.strip()
    assert (rows[0]["kind"], rows[0]["direction"], rows[0]["by"]) == ("visit", "in", "anna")
    result = kk("contact", "log", "K1001", "--channel", "phone", code=2)
    assert "missing value for --note" in result.stderr
    result = kk("contact", "log", "K1001", "--channel", "fax", "--note", "x", code=1)
    assert "channel: 'fax' is not one of" in result.stderr
    result = kk("contact", "log", "K1001", "--channel", "phone", "--note", "x", "--sendout",
                "S1001", code=1)
    assert "customer K1001 has no open call in send-out S1001" in result.stderr


def test_history_holds_every_message_and_contact_oldest_first(kk, business: Path) -> None:
    from kundkit.interactions import customer_history

    populate(business)
    set_section(business, "channels", OUTBOX)
    kk("news", "send", "--template", "news/december", "--customer", "K1002")
    kk("--as", "olle", "contact", "log", "K1002", "--channel", "email", "--in", "--subject",
       "Svar på nyhetsbrevet", "--note", "Vill veta mer om vinterservicen")
    ctx = context(business)
    with ctx.store.read() as tx:
        history = customer_history(tx, "K1002")
        assert customer_history(tx, "K1001") == []
    assert [(h["kind"], h["channel"], h["direction"]) for h in history] == [
        ("message", "outbox", "out"), ("message", "email", "in")]
    assert history[0]["sendout"] == "S1001" and history[0]["status"] == "sent"


def test_forgetting_a_customer_erases_notes_and_scripts_but_keeps_the_record(
        kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", {"order": ["phone"], "templates": "templates"})
    kk("news", "send", "--template", "news/december", "--customer", "K1003")
    kk("contact", "log", "K1003", "--channel", "phone", "--note", "Lars Nilsson ringer tillbaka")
    data = json.loads(kk("customer", "data", "K1003").stdout)
    assert len(data["interactions"]) == 2
    kk("customer", "forget", "K1003", "--yes")
    rows = [r for r in interactions(business) if r["customer"] == "K1003"]
    assert len(rows) == 2
    assert all(r["note"] is None and not r.get("script") for r in rows)
    assert "Lars" not in json.dumps(rows, ensure_ascii=False)
    assert rows[0]["status"] == "sent" and rows[0]["sendout"] == "S1001"


def test_customer_history_shows_messages_contacts_and_guide_walks(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", OUTBOX)
    kk("news", "send", "--template", "news/december", "--customer", "K1004")
    kk("--as", "olle", "contact", "log", "K1004", "--channel", "phone", "--in", "--note",
       "Ringde och frågade om öppettiderna")
    kk("standards", "guide", "sales-card-service-agreement", "--lang", "en", "--answer", "No",
       "--log", "K1004")
    rows = json.loads(kk("customer", "history", "K1004", "--format", "json").stdout)
    assert [(r["kind"], r["channel"]) for r in rows] == [
        ("message", "letter"), ("call", "phone"), ("guide", "in-person")]
    assert len({r["id"] for r in rows}) == 3  # one sequence of ids for every kind
    table = kk("customer", "history", "K1004").stdout
    assert "Nyheter från Nordbygg Verktyg AB inför jul" in table
    assert "Ringde och frågade om öppettiderna" in table
    assert kk("customer", "history", "K1001").stderr.strip() == "No interactions yet."
