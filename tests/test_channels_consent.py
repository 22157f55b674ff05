"""Consent: the matrix of person/company × consent given/withdrawn/none × marketing/service, by
the rule and through a real send-out; a consent withdrawn during a send-out; the opt-out text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from channels_support import context, interactions, populate, set_section, withdraw
from kundkit.consent import may_send

GIVEN = {"given": True, "at": "2026-01-10T12:00:00+01:00", "how": "at the counter", "by": "anna"}
WITHDRAWN = {"given": False, "at": "2026-10-02T09:00:00+02:00", "how": "replied STOPP",
             "by": "anna"}
CONSENTS = {"given": GIVEN, "withdrawn": WITHDRAWN, "none": None}

# (kind, consent, marketing) -> may an e-mail or SMS be sent?
MATRIX = {
    ("person", "given", True): True,
    ("person", "withdrawn", True): False,
    ("person", "none", True): False,
    ("company", "given", True): True,
    ("company", "withdrawn", True): False,
    ("company", "none", True): True,
    ("person", "given", False): True,
    ("person", "withdrawn", False): True,
    ("person", "none", False): True,
    ("company", "given", False): True,
    ("company", "withdrawn", False): True,
    ("company", "none", False): True,
}


def customer(kind: str, medium: str, consent: str) -> dict[str, Any]:
    entry = CONSENTS[consent]
    return {"id": "K1001", "kind": kind, "consent": {medium: entry} if entry else {}}


@pytest.mark.parametrize("medium", ["email", "sms"])
@pytest.mark.parametrize(("kind", "consent", "marketing"), sorted(MATRIX))
def test_the_consent_matrix(kind: str, consent: str, marketing: bool, medium: str) -> None:
    decision = may_send(customer(kind, medium, consent), medium, marketing=marketing)
    assert bool(decision) is MATRIX[(kind, consent, marketing)]
    if not decision:
        assert decision.reason  # every refusal says why


@pytest.mark.parametrize("medium", ["post", "phone"])
@pytest.mark.parametrize("kind", ["person", "company"])
def test_post_and_phone_need_no_prior_consent_but_respect_a_no(kind: str, medium: str) -> None:
    assert may_send(customer(kind, medium, "none"), medium, marketing=True)
    assert not may_send(customer(kind, medium, "withdrawn"), medium, marketing=True)
    assert may_send(customer(kind, medium, "withdrawn"), medium, marketing=False)


def test_a_consent_to_one_medium_is_not_a_consent_to_another() -> None:
    person = {"id": "K1", "kind": "person", "consent": {"email": GIVEN}}
    assert may_send(person, "email", marketing=True)
    assert not may_send(person, "sms", marketing=True)
    assert may_send({"id": "K1", "kind": "person", "forgotten_at": "2026-11-01"}, "email",
                    marketing=False).allowed is False


def people(kind: str) -> list[dict[str, Any]]:
    number = iter(["556798-6434", "556261-6226", "556437-5524"])
    out = []
    for name, consent in (("Given", "email"), ("Withdrawn", {"email": WITHDRAWN}),
                          ("None", None)):
        fields: dict[str, Any] = {"name": f"{name} {kind}", "kind": kind,
                                  "email": f"{name.lower()}.{kind}@post.example",
                                  "segment": "privat" if kind == "person" else "bygg"}
        if consent:
            fields["consent"] = consent
        if kind == "company":
            fields["orgnr"] = next(number)
        out.append(fields)
    return out


@pytest.mark.parametrize("kind", ["person", "company"])
@pytest.mark.parametrize("marketing", [True, False])
def test_the_matrix_holds_in_a_real_send_out(kk, business: Path, kind: str,
                                             marketing: bool) -> None:
    populate(business, people(kind))
    set_section(business, "channels", {"order": ["outbox"], "templates": "templates"})
    template = "news/december" if marketing else "welcome"
    kk("news", "send", "--template", template, "--kind", kind, "--format", "json")
    sent = {r["customer"]: r["status"] for r in interactions(business)}
    expected = {cid: "sent" if MATRIX[(kind, consent, marketing)] else "skipped"
                for cid, consent in zip(["K1001", "K1002", "K1003"],
                                        ["given", "withdrawn", "none"])}
    assert sent == expected
    files = list((business / "outbox").glob("*.eml")) if (business / "outbox").exists() else []
    assert len(files) == list(expected.values()).count("sent")


def test_a_consent_withdrawn_while_the_send_out_runs_stops_the_messages_not_yet_sent(
        business: Path) -> None:
    from kundkit.sendouts import Audience, plan_sendout, run_plan

    populate(business)
    set_section(business, "channels", {"order": ["outbox"], "templates": "templates"})
    ctx = context(business)
    plan = plan_sendout(ctx, "news/december", Audience(segment="privat"))
    assert [i.customer_id for i in plan.items if i.status == "send"] == ["K1002", "K1006"]
    withdraw(business, "K1006", "email")  # between planning and sending
    report = run_plan(ctx, plan)
    by_id = {i.customer_id: i for i in report.items}
    assert by_id["K1002"].status == "sent"
    assert by_id["K1006"].status == "skipped"
    assert by_id["K1006"].reason == "withdrew consent to news by e-mail on 2026-11-20"
    assert len(list((business / "outbox").glob("*.eml"))) == 1


def test_marketing_without_an_opt_out_text_is_refused_before_anything_is_sent(
        kk, business: Path) -> None:
    import yaml

    populate(business)
    data = yaml.safe_load((business / "kundkit.yaml").read_text(encoding="utf-8"))
    del data["business"]["opt_out"]
    set_section(business, "business", data["business"])
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", code=1)
    assert result.stderr.strip() == ("Error: Marketing needs the business's opt-out text: add "
                                     "business.opt_out.sv to kundkit.yaml")
    assert not (business / "outbox").exists() and not (business / "letters").exists()
    kk("news", "send", "--template", "welcome", "--segment", "privat")  # service: no opt-out
