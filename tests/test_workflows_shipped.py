"""The three shipped workflows (workflows/ of the example business), end to end through the
command line: onboarding, complaint and key-product-followup."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest

from tests.workflows_support import all_records, get_record, populate, set_section


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def _mails(business: Path) -> list[Any]:
    folder = business / "outbox"
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in files]


def _text(message: Any) -> str:
    return message.get_content().replace("\r\n", "\n")


ONBOARD = ["--set", "name=Takläggarna i Västerås AB", "--set", "orgnr=556677-8899",
           "--set", "email=info@taklaggarna.example", "--set", "segment=bygg",
           "--set", "contact=Eva Ek", "--set", "phone=021-33 44 55"]


def test_onboarding_registers_assigns_welcomes_and_plans_the_first_call(biz: Path, kk: Any) -> None:
    result = kk("--as", "anna", "workflow", "run", "onboarding", *ONBOARD)
    assert result.stdout == "R1001\tdone\n"
    customer = get_record(biz, "customers", "K1004")
    assert customer["name"] == "Takläggarna i Västerås AB" and customer["kind"] == "company"
    assert customer["phone"] == "+4621334455" and customer["language"] == "sv"
    # By segment, bygg → anna or erik, whoever has fewer customers (one each: the first by id).
    assert customer["manager"] == "anna"
    [welcome] = _mails(biz)
    assert welcome["To"] == "Takläggarna i Västerås AB <info@taklaggarna.example>"
    assert welcome["Subject"] == "Välkommen till Nordbygg Verktyg AB"
    body = _text(welcome)
    assert body.startswith("Hej Eva Ek!")
    assert "Anna Lind\när din kundansvarige" in body
    [task] = all_records(biz, "tasks")
    assert task["assignee"] == "anna" and task["customer"] == "K1004"
    assert task["title"] == "First call to the new customer Takläggarna i Västerås AB (K1004)"
    assert task["due"] == "2026-11-22" and task["note"] is None


def test_onboarding_stops_at_a_duplicate(biz: Path, kk: Any) -> None:
    kk("--as", "anna", "workflow", "run", "onboarding", *ONBOARD)
    again = kk("--as", "anna", "workflow", "run", "onboarding", "--set",
               "name=Takläggarna Västerås", "--set", "orgnr=5566778899", code=1)
    assert again.stdout == "R1002\tfailed\n"
    assert again.stderr.strip().endswith(
        "Error: run R1002 failed: already_registered: The customer looks registered already: "
        "K1004 Takläggarna i Västerås AB")
    assert len(all_records(biz, "customers")) == 4


def test_onboarding_a_customer_no_channel_reaches_still_gets_the_first_call(biz: Path,
                                                                          kk: Any) -> None:
    result = kk("--as", "anna", "workflow", "run", "onboarding", "--set", "name=Sven Tyst",
                "--set", "kind=person", "--set", "segment=privat", "--set", "manager=maria")
    assert result.stdout == "R1001\tdone\n"
    run = get_record(biz, "workflow_runs", "R1001")
    assert run["steps"]["welcome"]["status"] == "failed"
    [task] = all_records(biz, "tasks")
    assert task["assignee"] == "maria"
    assert task["note"].startswith("No welcome message could be sent: no channel reaches K1004")


def test_the_complaint_from_intake_to_the_customers_verdict(biz: Path, kk: Any) -> None:
    started = kk("--as", "anna", "workflow", "run", "complaint", "--set", "customer=K1001",
                 "--set", "category=leverans", "--set", "purchase=P1001",
                 "--set", "text=Kapsågen kom utan klinga")
    assert started.stdout == "R1001\twaiting\n"
    item = get_record(biz, "feedback", "F1001")
    assert (item["kind"], item["status"], item["assignee"], item["channel"]) == \
        ("complaint", "acknowledged", "anna", "phone")
    assert item["responses"][0]["via"] == "outbox"
    [ack] = _mails(biz)
    assert ack["Subject"] == "Vi har tagit emot ditt ärende F1001"
    assert "senast 25 november 2026 kl. 10:00" in _text(ack)   # three open days
    [task] = all_records(biz, "tasks")
    assert (task["title"], task["due"]) == ("Resolve case F1001 from Bygg & Montage AB", "2026-11-25")

    too_early = kk("--as", "anna", "workflow", "resume", "R1001")
    assert too_early.stdout == "R1001\twaiting\n"
    assert "not_resolved_yet: on-error: goto wait_for_resolution" in too_early.stderr

    kk("--as", "anna", "feedback", "resolve", "F1001", "--resolution",
       "En ny klinga skickades med bud i dag.", "--compensation", "discount 10%")
    told = kk("--as", "anna", "workflow", "resume", "R1001")
    assert told.stdout == "R1001\twaiting\n"
    verdict = _mails(biz)[-1]
    assert verdict["Subject"] == "Ditt ärende F1001"
    assert "En ny klinga skickades med bud i dag." in _text(verdict)
    assert "Som kompensation får du 10 % rabatt på ditt nästa köp." in _text(verdict)
    assert get_record(biz, "workflow_runs", "R1001")["waiting"]["until"] == "2026-11-27T10:00:00+01:00"

    week = {"KUNDKIT_NOW": "2026-11-27T10:00:00+01:00"}
    asked = kk("workflow", "resume", "--due", env=week)
    assert asked.stdout == "R1001\twaiting\n"
    assert _mails(biz)[-1]["Subject"] == "Hur nöjd är du? (ärende F1001)"
    run = get_record(biz, "workflow_runs", "R1001")
    assert run["waiting"]["step"] == "satisfaction" and run["waiting"]["kind"] == "answer"

    done = kk("--as", "anna", "workflow", "resume", "R1001", "--set", "satisfaction=4", env=week)
    assert done.stdout == "R1001\tdone\n"
    item = get_record(biz, "feedback", "F1001")
    assert item["status"] == "closed" and item["satisfaction"] == 4
    assert item["compensation"] == {"type": "discount", "percent": "10"}
    assert [h["status"] for h in item["history"]] == ["new", "acknowledged", "resolved", "closed"]
    assert len(_mails(biz)) == 3


def test_a_complaint_nobody_can_be_written_to_becomes_a_phone_call(biz: Path, kk: Any) -> None:
    started = kk("--as", "anna", "workflow", "run", "complaint", "--set", "customer=K1003",
                 "--set", "kind=claim", "--set", "text=Trasig", "--set", "priority=high")
    assert started.stdout == "R1001\twaiting\n"
    run = get_record(biz, "workflow_runs", "R1001")
    assert run["steps"]["acknowledge"]["status"] == "failed"
    assert run["steps"]["acknowledged"]["status"] == "skipped"
    titles = [(t["title"], t["assignee"], t["due"]) for t in all_records(biz, "tasks")]
    assert titles == [("Call Tyst Kund to acknowledge case F1001", "maria", "2026-11-20"),
                      ("Resolve case F1001 from Tyst Kund", "maria", "2026-11-24")]
    assert get_record(biz, "feedback", "F1001")["status"] == "new"


def test_key_product_followup_is_off_by_default(biz: Path, kk: Any) -> None:
    kk("--as", "anna", "purchase", "add", "--customer", "K1002", "--line", "SAG-KAP:1", "--yes")
    assert all_records(biz, "workflow_runs") == []
    assert len([t for t in all_records(biz, "tasks") if t["source"] == "key-product"]) == 1


def test_key_product_followup_never_makes_a_second_task_and_tells_the_customer(biz: Path,
                                                                              kk: Any) -> None:
    set_section(biz, "workflows", {"path": "workflows", "disabled": []})
    kk("--as", "anna", "purchase", "add", "--customer", "K1002", "--line", "SKRUV-100:3", "--yes")
    assert all_records(biz, "workflow_runs") == []   # no key product: the trigger does not hold

    kk("--as", "anna", "purchase", "add", "--customer", "K1002", "--line", "SAG-KAP:1", "--yes")
    [run] = all_records(biz, "workflow_runs")
    assert run["workflow"] == "key-product-followup" and run["status"] == "done"
    assert run["steps"]["consultation"]["output"]["created"] == 0
    consultations = [t for t in all_records(biz, "tasks") if t["source"] == "key-product"]
    assert len(consultations) == 1 and consultations[0]["assignee"] == "erik"
    [mail] = _mails(biz)
    assert mail["Subject"] == "Thank you for buying Kapsåg 254 mm"       # Karin reads English
    assert "Erik Ström, your\naccount manager, will be in touch within 7 days" in _text(mail)

    kk("--as", "anna", "purchase", "add", "--customer", "K1002", "--line", "SAG-KAP:1", "--yes")
    second = all_records(biz, "workflow_runs")[-1]
    assert second["steps"]["tell_customer"]["status"] == "skipped"   # the open consultation covers it
    assert len([t for t in all_records(biz, "tasks") if t["source"] == "key-product"]) == 1
    assert len(_mails(biz)) == 1
