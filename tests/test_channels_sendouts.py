"""Send-outs and single messages: idempotent re-runs, templates refused with nothing sent, a
send-out stopped half-way, two runs that never overlap, the workflows' send_message, and a new
business that sends news out of the box."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels_support import context, interactions, populate, set_section, withdraw

OUTBOX = {"order": ["outbox", "letter", "phone"], "templates": "templates"}


def eml_files(business: Path) -> list[Path]:
    folder = business / "outbox"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_a_re_run_sends_only_to_customers_new_to_the_send_out(kk, business: Path) -> None:
    from kundkit.customers import create_customer

    populate(business)
    set_section(business, "channels", OUTBOX)
    kk("news", "send", "--template", "news/december", "--segment", "privat")
    first = eml_files(business)
    ctx = context(business)
    with ctx.store.transaction() as tx:
        create_customer(ctx, tx, {"name": "Linnéa Söderberg", "kind": "person",
                                  "email": "linnea@post.example", "segment": "privat",
                                  "consent": "email"}, how="test")
    result = kk("news", "send", "--template", "news/december", "--segment", "privat",
                "--format", "json")
    report = json.loads(result.stdout)
    assert report["sendout"] == "S1001" and report["new"] is False
    assert report["already_sent"] == 4
    assert [(i["customer"], i["status"]) for i in report["items"]] == [("K1007", "sent")]
    assert len(eml_files(business)) == len(first) + 1
    shown = kk("news", "show", "S1001", "--format", "json")
    messages = json.loads(shown.stdout)["messages"]
    assert sorted(m["customer"] for m in messages) == ["K1002", "K1003", "K1004", "K1006",
                                                       "K1007"]
    assert {m["status"] for m in messages} == {"sent"}


@pytest.mark.parametrize(("body", "expected"), [
    ("Hej {{ customer.name }}!\n\nVi ses {{ kampanj.slutdatum }}.\n",
     r"^Error: news/broken\.sv\.md:7: undefined variable 'kampanj' in Vi ses "
     r"\{\{ kampanj\.slutdatum \}\}\.$"),
    ("Hej!\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
     r"^Error: news/broken\.sv\.md:7: refused: the template tried something templates may not "
     r"do \(.*\)$"),
])
def test_a_broken_template_is_refused_in_one_line_with_nothing_sent(
        kk, business: Path, body: str, expected: str) -> None:
    import re

    populate(business)
    set_section(business, "channels", OUTBOX)
    (business / "templates" / "news" / "broken.sv.md").write_text(
        "---\nsubject: Test\nmarketing: yes\n---\n" + body, encoding="utf-8")
    result = kk("news", "send", "--template", "news/broken", "--segment", "privat", code=1)
    assert re.match(expected, result.stderr.strip()), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert eml_files(business) == [] and not (business / "letters").exists()
    assert interactions(business) == []
    assert kk("news", "list", "--format", "json").stdout.strip() == "[]"


def test_a_template_that_fails_for_one_language_only_stops_everything(kk, business: Path) -> None:
    from kundkit.customers import edit_customer

    populate(business)
    set_section(business, "channels", OUTBOX)
    ctx = context(business)
    with ctx.store.transaction() as tx:
        edit_customer(ctx, tx, "K1006", {"language": "en"})
    (business / "templates" / "news" / "x.sv.md").write_text(
        "---\nsubject: Hej\n---\nHej {{ customer.name }}\n", encoding="utf-8")
    (business / "templates" / "news" / "x.en.md").write_text(
        "---\nsubject: Hello\n---\nHello {{ customer.nickname }}\n", encoding="utf-8")
    result = kk("news", "send", "--template", "news/x", "--segment", "privat", code=1)
    assert "news/x.en.md:4: undefined variable 'nickname'" in result.stderr
    assert eml_files(business) == []


def test_a_send_out_that_stops_half_way_keeps_what_was_sent(kk, business: Path) -> None:
    populate(business)
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "fragile.py").write_text('''
from kundkit import hookimpl
from kundkit.channels import Channel, Delivery

SENT = []


class Fragile(Channel):
    name = "fragile"
    consent = "post"
    needs = "address"

    def send(self, message, recipient, run):
        if recipient.customer_id == "K1004":
            raise RuntimeError("the printer caught fire")
        SENT.append(recipient.customer_id)
        return Delivery("sent", self.name, run.now, detail=",".join(SENT))


@hookimpl
def register_channels(register):
    register(Fragile())
''', encoding="utf-8")
    set_section(business, "plugins", ["plugins/fragile.py"])
    set_section(business, "channels", {"order": ["fragile"], "templates": "templates"})
    with pytest.raises(RuntimeError, match="printer caught fire"):
        kk("news", "send", "--template", "news/december", "--segment", "privat")
    rows = {r["customer"]: r for r in interactions(business)}
    assert {k: r["status"] for k, r in rows.items()} == {"K1002": "sent", "K1003": "sent"}
    listing = json.loads(kk("news", "list", "--format", "json").stdout)
    assert (listing[0]["status"], listing[0]["error"]) == ("stopped", "the printer caught fire")
    (business / "plugins" / "fragile.py").write_text(
        (business / "plugins" / "fragile.py").read_text(encoding="utf-8").replace(
            '"K1004"', '"nobody"'), encoding="utf-8")
    kk("news", "send", "--template", "news/december", "--segment", "privat")
    rows = {r["customer"]: r for r in interactions(business)}
    assert {k: r["status"] for k, r in rows.items()} == {
        "K1002": "sent", "K1003": "sent", "K1004": "sent", "K1006": "sent"}
    # The second run's channel started afresh: it saw only the two not yet sent.
    assert rows["K1006"]["detail"] == "K1004,K1006"


def test_send_message_sends_a_service_message_without_consent(business: Path) -> None:
    from kundkit.sendouts import send_message

    populate(business)
    set_section(business, "channels", OUTBOX)
    ctx = context(business)
    # Karin never consented to e-mail: a welcome is a service message, sent by e-mail all the same.
    result = send_message(ctx, "K1004", "welcome", marketing=False)
    assert (result.channel, result.status) == ("outbox", "sent")
    assert result.detail.startswith("outbox/20261120T090000Z-K1004-")
    # Marketing to her by e-mail is not allowed; post is.
    offer = send_message(ctx, "K1004", "news/december", marketing=True)
    assert offer.channel == "letter"
    # The template says marketing: yes, whatever the caller says: not by e-mail, and once she
    # has said no to post, by phone.
    withdraw(business, "K1004", "post")
    called = send_message(ctx, "K1004", "news/december", marketing=False)
    assert (called.channel, called.status) == ("phone", "sent")
    withdraw(business, "K1004", "phone")
    stopped = send_message(ctx, "K1004", "news/december", marketing=True)
    assert (stopped.channel, stopped.status) == (None, "skipped")
    assert "letter: withdrew consent to news by post on 2026-11-20" in stopped.detail
    history = [r for r in interactions(business) if r["customer"] == "K1004"]
    assert [(r["channel"], r["status"], r["template"]) for r in history] == [
        ("outbox", "sent", "welcome"), ("letter", "sent", "news/december"),
        ("phone", "sent", "news/december"), (None, "skipped", "news/december")]


def test_send_message_passes_the_workflow_s_variables(business: Path) -> None:
    from email import policy
    from email.parser import BytesParser

    from kundkit.sendouts import send_message

    populate(business)
    set_section(business, "channels", OUTBOX)
    ctx = context(business)
    result = send_message(ctx, "K1001", "complaint-received", marketing=False,
                          context={"reference": "F1003", "due": "2026-11-24"})
    assert result.status == "sent"
    (path,) = eml_files(business)
    email = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert email["Subject"] == "Vi har tagit emot ditt ärende F1003"
    body = email.get_content()
    assert "Hej Per Lindqvist!" in body and "Du får svar senast 24 november 2026." in body
    assert "STOPP" not in body and "List-Unsubscribe" not in email


def test_db_check_finds_the_references_in_order(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", OUTBOX)
    kk("news", "send", "--template", "news/december", "--segment", "privat")
    kk("db", "check")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_new_business_can_send_news_out_of_the_box(tmp_path: Path, language: str) -> None:
    import yaml

    from kundkit.business import init_business
    from kundkit.sendouts import Audience, plan_sendout, run_plan, send_message

    folder = tmp_path / "ny"
    init_business(folder, language=language, name="Ny Firma AB")
    business = yaml.safe_load((folder / "kundkit.yaml").read_text(encoding="utf-8"))["business"]
    set_section(folder, "business", {**business, "email": "info@nyfirma.example"})
    populate(folder, [{"name": "Åsa Öberg", "kind": "person", "email": "asa@post.example",
                       "consent": "email", "language": language}])
    ctx = context(folder)
    report = run_plan(ctx, plan_sendout(ctx, "news/example", Audience(everyone=True)))
    assert [(i.channel, i.status) for i in report.items] == [("outbox", "sent")]
    (path,) = (folder / "outbox").glob("*.eml")
    text = path.read_bytes().decode("ascii")
    assert "From: Ny Firma AB <info@nyfirma.example>" in text
    assert ("STOPP" if language == "sv" else "STOP") in text
    assert send_message(ctx, "K1001", "welcome", marketing=False).status == "sent"
    assert send_message(ctx, "K1001", "complaint-received", marketing=False,
                        context={"reference": "F1001"}).status == "sent"


def test_two_runs_of_one_send_out_never_overlap(business: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time

    from kundkit.errors import Conflict
    from kundkit.idtable import replace_doc
    from kundkit.sendouts import Audience, get_sendout, plan_sendout, run_plan

    populate(business)
    set_section(business, "channels", OUTBOX)
    ctx = context(business)
    audience = Audience(segment="privat")
    run_plan(ctx, plan_sendout(ctx, "news/december", audience))

    def mark(pid: int) -> None:
        with ctx.store.transaction() as tx:
            record = get_sendout(tx, "S1001")
            record["running"] = {"token": "x", "since": time.time(), "pid": pid,
                                 "host": socket.gethostname()}
            replace_doc(tx, "sendouts", 1001, record)

    mark(os.getpid())  # a live process on this machine is sending it
    with pytest.raises(Conflict, match="send-out S1001 is being sent by another run"):
        run_plan(ctx, plan_sendout(ctx, "news/december", audience))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    mark(int(gone.stdout))  # a run that died: taken over at once
    report = run_plan(ctx, plan_sendout(ctx, "news/december", audience))
    assert report.sendout["status"] == "done" and report.sendout["running"] is None
