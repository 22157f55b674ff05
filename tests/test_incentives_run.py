"""The month's-end run: the proposal as table/JSON/CSV, approve and lock, the stored result shown
later, reopen (logged), the leaderboard, and Swedish output."""

from __future__ import annotations

import csv
import io
import json

import pytest

from incentives_support import context, load_example_business, sell
from kundkit.plans import parse_period


@pytest.fixture
def month(kk, business):
    """erik 29 970 weighted of 25 000 (119.88 %), anna 21 405 of 20 000 (107.025 %), johan 4 152 of
    20 000 (20.76 %)."""
    load_example_business(kk)
    sell(business, "K1002", "erik", "2026-11-05", ("LAS-360", 2))
    sell(business, "K1001", "anna", "2026-11-03", ("BM-18V", 4), ("HAM-16", 10))
    sell(business, "K1016", "johan", "2026-11-06", ("TUM-2M", 10), ("SL-125", 2))
    kk("plan", "set", "--period", "2026-11", "--target", "80000", "--staff", "erik", "--target", "25000",
       "--staff", "anna", "--target", "20000", "--staff", "johan", "--target", "20000")
    return kk


def test_the_proposal_as_a_table_json_and_csv(month) -> None:
    table = month("incentive", "run", "--period", "2026-11")
    assert "Proposal for 2026-11, not approved: cash SEK 12,309.53; 2 gift(s) worth SEK 2,000.00; " \
           "1 recognition(s)." in table.stderr
    assert "Schemes for other kinds of period, not run for 2026-11: kvartalets-saljare" in table.stderr
    header = table.stdout.splitlines()[0].split()
    assert header == ["Staff", "Name", "Scheme", "Kind", "Amount", "Gift", "or", "title", "Reason"]
    rows = json.loads(month("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    assert rows[0] == {
        "period": "2026-11", "status": "proposed", "staff": "erik", "name": "Erik Sandberg",
        "scheme": "provision", "uses": "commission", "kind": "cash", "amount": "524.10", "item": None,
        "reason": "commission: 1.5 % of SEK 25,000.00 (from 0 % of target); 3 % of SEK 4,970.00 "
                  "(from 100 % of target)"}
    parsed = list(csv.DictReader(io.StringIO(month("incentive", "run", "--period", "2026-11",
                                                   "--format", "csv").stdout)))
    assert [(r["staff"], r["scheme"], r["amount"]) for r in parsed] == [
        (r["staff"], r["scheme"], r["amount"] or "") for r in rows]
    # johan reached 20.76 %: a commission at the base rate only (1.5 % of 4 152.00 = 62.28)
    assert [(r["scheme"], r["amount"]) for r in rows if r["staff"] == "johan"] == [("provision", "62.28")]


def test_approve_needs_to_know_who_approves(month) -> None:
    result = month("incentive", "run", "--period", "2026-11", "--approve", code=2)
    assert "who is acting? give --as STAFF" in result.stderr


def test_approve_stores_and_locks_and_a_later_run_shows_the_stored_result(month, business) -> None:
    proposed = json.loads(month("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    approved = month("--as", "maria", "incentive", "run", "--period", "2026-11", "--approve",
                     "--format", "json")
    assert "2026-11 approved and locked" in approved.stderr
    stored = json.loads(approved.stdout)
    assert [r["id"] for r in stored] == [f"R{1001 + i}" for i in range(len(proposed))]
    assert all(r["status"] == "approved" and r["approved_by"] == "maria" for r in stored)
    assert [(r["staff"], r["scheme"], r["amount"], r["reason"]) for r in stored] == [
        (r["staff"], r["scheme"], r["amount"], r["reason"]) for r in proposed]

    # A sale recorded late, dated in the locked month, changes the live figures but not the result.
    sell(business, "K1003", "johan", "2026-11-19", ("LAS-360", 10))
    later = month("incentive", "run", "--period", "2026-11", "--format", "json")
    assert json.loads(later.stdout) == stored
    assert "2026-11 was approved on 2026-11-20 by maria: these are the stored rewards" in later.stderr
    assert "note: the period's weighted sales changed after the approval (SEK 55,527.00 then, " \
           "SEK 202,380.00 now)" in later.stderr

    again = month("--as", "maria", "incentive", "run", "--period", "2026-11", "--approve", code=1)
    assert again.stderr.strip() == ("Error: 2026-11 was approved on 2026-11-20 by maria; its rewards are "
                                    "locked. Give --reopen to change them (the reopening is logged)")
    # The board of a locked month shows the approved figures and titles.
    board = month("incentive", "board", "--period", "2026-11").stdout
    assert "SEK 29,970.00  ★ Månadens säljare" in board and "Johan Markström" in board
    assert "SEK 4,152.00" in board and "SEK 151,005.00" not in board


def test_reopen_withdraws_the_rewards_is_logged_and_allows_a_new_approval(month, business) -> None:
    month("--as", "maria", "incentive", "run", "--period", "2026-11", "--approve")
    sell(business, "K1003", "johan", "2026-11-19", ("LAS-360", 10))
    reopened = month("--as", "lars", "incentive", "run", "--period", "2026-11", "--reopen", "--approve",
                     "--reason", "johan's order from the 19th came in late", "--format", "json")
    assert "2026-11 reopened; its earlier rewards are withdrawn." in reopened.stderr
    new = json.loads(reopened.stdout)
    assert new[0]["id"] == "R1009" and all(r["approved_by"] == "lars" for r in new)
    assert ("johan", "Månadens säljare") in [(r["staff"], r["item"]) for r in new]

    current = json.loads(month("incentive", "rewards", "--period", "2026-11", "--format", "json").stdout)
    assert [r["id"] for r in current] == [r["id"] for r in new]
    everything = json.loads(month("incentive", "rewards", "--withdrawn", "--format", "json").stdout)
    withdrawn = [r for r in everything if r["status"] == "withdrawn"]
    assert len(withdrawn) == 8 and all(r["withdrawn_by"] == "lars" for r in withdrawn)

    ctx = context(business)
    from kundkit.auditlog import audit_entries
    from kundkit.incentives.run import period_record

    with ctx.store.read() as tx:
        record = period_record(tx, parse_period("2026-11"))
        log = audit_entries(tx, table="rewards")
    assert [(h["action"], h["by"], h["rewards"]) for h in record["history"]] == [
        ("approve", "maria", 8), ("reopen", "lars", 8), ("approve", "lars", len(new))]
    assert record["history"][1]["reason"] == "johan's order from the 19th came in late"
    assert [(e["action"], e["actor"], e["record"]) for e in log] == [
        ("approve", "maria", "2026-11"), ("reopen", "lars", "2026-11"), ("approve", "lars", "2026-11")]


def test_reopen_alone_unlocks_and_shows_a_fresh_proposal(month) -> None:
    month("--as", "maria", "incentive", "run", "--period", "2026-11", "--approve")
    result = month("--as", "maria", "incentive", "run", "--period", "2026-11", "--reopen")
    assert "Proposal for 2026-11, not approved" in result.stderr
    assert month("incentive", "rewards", "--period", "2026-11").stderr.strip() == "No approved rewards."


def test_reopening_a_period_that_is_not_approved_only_warns(month) -> None:
    result = month("--as", "maria", "incentive", "run", "--period", "2026-11", "--reopen")
    assert "warning: 2026-11 is not approved; there is nothing to reopen" in result.stderr


def test_a_quarter_runs_only_the_quarterly_schemes(month) -> None:
    month("plan", "set", "--period", "2026-Q4", "--target", "240000")
    rows = json.loads(month("incentive", "run", "--period", "2026-Q4", "--format", "json").stdout)
    assert [(r["staff"], r["scheme"], r["item"]) for r in rows] == [
        ("erik", "kvartalets-saljare", "Kvartalets säljare")]


def test_no_rewards_for_an_empty_month(month) -> None:
    result = month("incentive", "run", "--period", "2026-09")
    assert result.stdout == "" and "No rewards for 2026-09." in result.stderr


# -- the board ----------------------------------------------------------------------------------

def test_the_board_has_bars_a_target_line_and_titles(month) -> None:
    out = month("incentive", "board", "--period", "2026-11", "--width", "20").stdout
    lines = out.splitlines()
    assert lines[0] == "Nordbygg Verktyg AB — Leaderboard 2026-11"
    erik = next(l for l in lines if "Erik Sandberg" in l)
    anna = next(l for l in lines if "Anna Lind" in l)
    johan = next(l for l in lines if "Johan Markström" in l)
    sara = next(l for l in lines if "Sara Öhrn" in l)
    assert erik.startswith(" 1. ") and anna.startswith(" 2. ") and johan.startswith(" 3. ")
    assert "119.9 %" in erik and "★ Månadens säljare" in erik
    # The scale runs to 119.88 %: the '|' of 100 % is at the same column on every bar.
    columns = {l.index("|") for l in (erik, anna, johan)}
    assert len(columns) == 1
    column = columns.pop()
    assert erik[column - 1] == "█" and erik[column + 1] == "█"  # erik's bar passes the line
    assert johan[column - 1] == " "  # johan's stops short of it
    assert "(no personal target)" in sara
    assert "Organisation: SEK 55,527.00 weighted of the target SEK 80,000.00" in out


def test_the_board_in_ascii(month) -> None:
    out = month("incentive", "board", "--period", "2026-11", "--ascii").stdout
    assert "█" not in out and "★" not in out
    assert "#" in out and "* Månadens säljare" in out


def test_swedish_output(kk_process, month) -> None:
    env = {"KUNDKIT_LANG": "sv"}
    board = kk_process("incentive", "board", "--period", "2026-11", env=env).stdout
    assert "Topplista 2026-11" in board and "119,9 %" in board and "29 970,00 kr" in board
    run = kk_process("incentive", "run", "--period", "2026-11", env=env)
    assert "Förslag för 2026-11, inte godkänt" in run.stderr
    assert "provision: 1,5 % av 25 000,00 kr" in run.stdout
    helptext = kk_process("incentive", "run", "--help", env=env).stdout
    assert "Godkänn" in helptext or "godkänn" in helptext


# -- who may be rewarded ------------------------------------------------------------------------

def _audit(business, staff: str, percent: str, day: int) -> None:
    from datetime import datetime, timezone
    from decimal import Decimal

    from kundkit.standards.audit import AuditResult
    from kundkit.standards.audit_store import save_audit

    save_audit(context(business, actor="maria"), AuditResult(
        document="service-standard", version="1", language="sv", staff=staff,
        at=datetime(2026, 11, day, 12, tzinfo=timezone.utc), scores={}, percent=Decimal(percent),
        points=Decimal(percent), possible=Decimal(100)))


def test_a_minimum_audit_score_uses_each_person_s_latest_audit(month, business) -> None:
    path = business / "kundkit.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      uses: plan-bonus\n", "      uses: plan-bonus\n      min_audit_score: 80\n"), encoding="utf-8")
    _audit(business, "erik", "92", 2)
    _audit(business, "erik", "75", 15)   # erik's latest: 75 — below 80
    _audit(business, "anna", "60", 3)
    _audit(business, "anna", "85.5", 16)  # anna's latest: 85.5
    rows = json.loads(month("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    assert [r["staff"] for r in rows if r["scheme"] == "planbonus"] == ["anna"]
    # The other schemes ask for no audit: erik keeps his commission and title.
    assert ("erik", "manadens-saljare") in [(r["staff"], r["scheme"]) for r in rows]
    # Approving reads the scores inside the same (write) transaction.
    month("--as", "maria", "incentive", "run", "--period", "2026-11", "--approve")


def test_someone_never_audited_does_not_pass_a_minimum_audit_score(month, business) -> None:
    path = business / "kundkit.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      uses: plan-bonus\n", "      uses: plan-bonus\n      min_audit_score: 0\n"), encoding="utf-8")
    rows = json.loads(month("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    assert [r for r in rows if r["scheme"] == "planbonus"] == []


def test_staff_who_left_are_shown_but_not_rewarded(month, business) -> None:
    from kundkit.staff import set_active

    ctx = context(business, actor="maria")
    with ctx.store.transaction() as tx:
        set_active(ctx, tx, "erik", False)
    rows = json.loads(month("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    assert "erik" not in {r["staff"] for r in rows}
    assert ("anna", "manadens-saljare") in [(r["staff"], r["scheme"]) for r in rows]
    figures = json.loads(month("incentive", "results", "--period", "2026-11", "--format", "json").stdout)
    erik = next(r for r in figures["staff"] if r["staff"] == "erik")
    assert erik["weighted"] == "29970.00" and erik["active"] is False
