"""Which channel each customer gets: the preferred one when allowed and possible, else the next
in channels.order; --channel forces one; the default order; the dry run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels_support import context, interactions, populate, set_section
from kundkit.errors import ConfigProblems, UsageError

ORDER = {"order": ["outbox", "letter", "phone"], "templates": "templates"}


def routes(kk, *args: str) -> dict[str, tuple[str | None, str, str]]:
    result = kk("news", "send", "--template", "news/december", *args, "--dry-run",
                "--format", "json")
    return {i["customer"]: (i["channel"], i["status"], i["detail"])
            for i in json.loads(result.stdout)["items"]}


def test_preference_first_then_the_order_of_channels(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", ORDER)
    got = routes(kk, "--all")
    assert got["K1001"][:2] == ("outbox", "send")  # a company: e-mail until it opts out
    assert got["K1002"][:2] == ("outbox", "send")  # a person who said yes to e-mail
    assert got["K1003"][:2] == ("letter", "send")  # no e-mail address
    assert got["K1004"][:2] == ("letter", "send")  # no consent to e-mail: post needs none
    assert got["K1005"][:2] == ("phone", "send")   # withdrew e-mail, has no address
    assert got["K1006"][:2] == ("phone", "send")   # prefers the phone


def test_the_preferred_channel_falls_back_when_it_cannot_reach(kk, business: Path) -> None:
    from kundkit.customers import edit_customer

    populate(business)
    set_section(business, "channels", ORDER)
    ctx = context(business)
    with ctx.store.transaction() as tx:
        edit_customer(ctx, tx, "K1003", {"preferred_channel": "email"})  # Lars has no e-mail
        edit_customer(ctx, tx, "K1002", {"preferred_channel": "post"})
    got = routes(kk, "--segment", "privat")
    assert got["K1003"][:2] == ("letter", "send")
    assert got["K1002"][:2] == ("letter", "send")


def test_forcing_a_channel_reports_who_it_cannot_reach_and_why(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", ORDER)
    got = routes(kk, "--segment", "privat", "--channel", "outbox")
    assert got["K1002"][:2] == ("outbox", "send")
    assert got["K1004"] == (None, "skipped", "outbox: a private person needs to consent before "
                                             "getting news by e-mail")
    got = routes(kk, "--segment", "bygg", "--channel", "letter")
    assert got["K1001"][:2] == ("letter", "send")
    assert got["K1005"] == (None, "skipped", "letter: Customer K1005 has no postal address")


def test_nobody_is_reached_when_no_channel_will_do(kk, business: Path) -> None:
    populate(business, [{"name": "Bo Ek", "kind": "person", "segment": "privat",
                         "address": ["Storgatan 1", "722 12 Västerås"],
                         "consent": {"post": {"given": False, "at": "2026-01-01T00:00:00+01:00",
                                              "how": "letter", "by": None}}}])
    set_section(business, "channels", ORDER)
    result = kk("news", "send", "--template", "news/december", "--segment", "privat")
    assert "Not reached:" in result.stdout
    (row,) = interactions(business)
    assert (row["status"], row["channel"]) == ("skipped", None)
    assert row["detail"] == ("outbox: Customer K1001 has no e-mail address; letter: withdrew "
                             "consent to news by post on 2026-01-01; phone: Customer K1001 has "
                             "no phone number")


def test_the_dry_run_sends_and_records_nothing(kk, business: Path) -> None:
    populate(business)
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", "--dry-run")
    assert "Åsa Öberg" in result.stdout and "to send" in result.stdout
    assert "Nothing was sent." in result.stderr
    assert not (business / "outbox").exists() and not (business / "letters").exists()
    assert interactions(business) == []
    assert kk("news", "list").stderr.strip() == "No send-outs yet."


def test_the_default_order_uses_smtp_in_place_of_the_outbox(business: Path) -> None:
    from kundkit.channels.routing import channel_order

    populate(business)
    set_section(business, "channels", None)
    set_section(business, "sms", None)
    set_section(business, "email", None)
    assert [c.name for c in channel_order(context(business))] == ["outbox", "letter", "phone"]
    set_section(business, "email", {"host": "smtp.example", "sender": "A <a@b.example>"})
    assert [c.name for c in channel_order(context(business))] == ["email", "letter", "phone"]


def test_an_unknown_or_unusable_channel_is_a_clear_error(kk, business: Path) -> None:
    from kundkit.channels.routing import channel_order, get_channel

    populate(business)
    set_section(business, "channels", {"order": ["outbox", "fax"]})
    with pytest.raises(ConfigProblems, match=r"kundkit.yaml:\d+:\d+: channels.order: no channel "
                                             r"named 'fax'"):
        channel_order(context(business))
    set_section(business, "channels", None)
    set_section(business, "sms", None)
    with pytest.raises(UsageError, match="no channel named 'fax'"):
        get_channel(context(business), "fax")
    result = kk("news", "send", "--template", "news/december", "--all", "--channel", "sms",
                code=1)
    assert result.stderr.strip() == ("Error: the channel 'sms' cannot be used: no sms: section "
                                     "with the gateway's address in kundkit.yaml")


def test_an_audience_must_be_given_and_exist(kk, business: Path) -> None:
    populate(business)
    result = kk("news", "send", "--template", "news/december", code=2)
    assert "--segment, --tag, --kind, --manager, --customer, or --all" in result.stderr
    result = kk("news", "send", "--template", "news/december", "--segment", "privatt", code=2)
    assert result.stderr.strip() == ("Error: segment: 'privatt' is not one of the segments in "
                                     "kundkit.yaml (bygg, industri, offentlig, privat)")
    result = kk("news", "send", "--template", "news/december", "--tag", "ingen")
    assert result.stderr.strip() == "No customers match."
    assert kk("news", "list").stderr.strip() == "No send-outs yet."


def test_channel_list_shows_what_each_channel_needs_and_the_order(kk, business: Path) -> None:
    result = kk("channel", "list", "--format", "json")
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"outbox", "email", "sms", "letter", "phone"}
    assert (rows["outbox"]["consent"], rows["outbox"]["needs"], rows["outbox"]["order"]) == \
        ("email", "email", 1)
    assert (rows["sms"]["needs"], rows["sms"]["in_use"]) == ("mobile", False)
    assert rows["letter"]["plugin"] == "channels"
    table = kk("channel", "list").stdout
    assert "outbox" in table and "no: not in channels.order" in table
