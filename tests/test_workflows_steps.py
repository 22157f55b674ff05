"""Every built-in step type, conditions that hold and do not, and each kind of on-error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workflows_support import (all_records, context, get_record, populate, run_workflow,
                                     write_workflow)


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def test_set_variables_and_conditions_true_and_false(biz: Path) -> None:
    write_workflow(biz, "flags", """
        name: flags
        inputs:
          amount: {type: number}
        steps:
          - id: facts
            uses: set
            with:
              big: "{{ inputs.amount > 1000 }}"
              label: "Order of {{ inputs.amount }} kr"
          - id: when_big
            uses: set
            if: "vars.big"
            with: {size: large}
          - id: when_small
            uses: set
            if: "{{ not vars.big }}"
            with: {size: small}
          - id: always
            uses: set
            if: true
            with: {seen: "{{ steps.when_big.status }}/{{ steps.when_small.status }}"}
        """)
    run = run_workflow(biz, "flags", {"amount": "1 500,50"})
    assert run["status"] == "done"
    assert run["inputs"]["amount"] == "1500.50"
    assert run["vars"] == {"big": True, "label": "Order of 1500.50 kr", "size": "large",
                           "seen": "done/skipped"}
    assert run["steps"]["when_small"]["status"] == "skipped"

    small = run_workflow(biz, "flags", {"amount": "12"})
    assert small["vars"]["size"] == "small"
    assert small["vars"]["seen"] == "skipped/done"


def test_customer_steps_find_create_update_and_assign_a_manager(biz: Path) -> None:
    write_workflow(biz, "people", """
        name: people
        inputs:
          name: {type: text}
          email: {type: email}
        steps:
          - id: before
            uses: customer.find
            with: {name: "{{ inputs.name }}", email: "{{ inputs.email }}"}
          - id: create
            uses: customer.create
            if: "not steps.before.output.found"
            with:
              name: "{{ inputs.name }}"
              kind: person
              email: "{{ inputs.email }}"
              segment: privat
              manager: erik
          - id: update
            uses: customer.update
            with: {phone: "070-123 45 67", tags: "ny;workflow"}
          - id: keep
            uses: customer.assign-manager
          - id: move
            uses: customer.assign-manager
            with: {manager: maria}
          - id: again
            uses: customer.find
            with: {query: "{{ inputs.email }}"}
          - id: by_id
            uses: customer.find
            with: {id: "{{ customer.id }}"}
        """)
    run = run_workflow(biz, "people", {"name": "Lisa Berg", "email": "Lisa@Example.COM"})
    assert run["status"] == "done", run["error"]
    assert run["steps"]["before"]["output"]["found"] is False
    created = run["steps"]["create"]["output"]
    assert created["id"] == "K1004" and created["email"] == "Lisa@example.com"
    assert run["customer"] == "K1004"
    assert run["steps"]["update"]["output"]["phone"] == "+46701234567"
    assert run["steps"]["keep"]["output"] == {"customer": "K1004", "manager": "erik",
                                              "manager_name": "Erik Ström", "changed": False}
    assert run["steps"]["move"]["output"]["manager"] == "maria"
    assert run["steps"]["move"]["output"]["changed"] is True
    assert run["steps"]["again"]["output"]["count"] == 1
    assert run["steps"]["by_id"]["output"]["customer"]["manager"] == "maria"
    stored = get_record(biz, "customers", "K1004")
    assert stored["tags"] == ["ny", "workflow"] and stored["manager"] == "maria"


def test_a_duplicate_customer_fails_the_step_and_on_error_continue_goes_on(biz: Path) -> None:
    write_workflow(biz, "dup", """
        name: dup
        steps:
          - id: create
            uses: customer.create
            on-error: continue
            with: {name: "Bygg & Montage AB", kind: company, orgnr: "556036-0793"}
          - id: after
            uses: set
            with: {error: "{{ steps.create.error }}", status: "{{ steps.create.status }}"}
        """)
    run = run_workflow(biz, "dup")
    assert run["status"] == "done"
    assert run["vars"]["status"] == "failed"
    assert "K1001" in run["vars"]["error"]
    assert len(all_records(biz, "customers")) == 3


def test_on_error_fail_stops_the_run_and_keeps_nothing_of_the_failed_step(biz: Path) -> None:
    write_workflow(biz, "stops", """
        name: stops
        steps:
          - id: first
            uses: task.create
            with: {title: Kept, customer: K1001}
          - id: broken
            uses: task.create
            with: {title: Never, assignee: nobody}
          - id: unreached
            uses: set
            with: {x: 1}
        """)
    run = run_workflow(biz, "stops")
    assert run["status"] == "failed"
    assert run["error"].startswith("broken: assignee: no staff member with id 'nobody'")
    assert run["steps"]["broken"]["status"] == "failed"
    assert "unreached" not in run["steps"]
    titles = [t["title"] for t in all_records(biz, "tasks")]
    assert titles == ["Kept"]


def test_on_error_goto_jumps_and_fail_steps_carry_their_message(biz: Path) -> None:
    write_workflow(biz, "jumps", """
        name: jumps
        inputs:
          ok: {type: choice, choices: ["yes", "no"]}
        steps:
          - id: check
            uses: fail
            if: "inputs.ok == 'no'"
            on-error: goto rescue
            with:
              message: {sv: "Inte okej", en: "Not ok"}
          - id: normal
            uses: end
            with: {message: all good}
          - id: rescue
            uses: set
            with: {why: "{{ steps.check.error }}"}
          - id: give_up
            uses: fail
            with: {message: "gave up after {{ vars.why }}"}
        """)
    good = run_workflow(biz, "jumps", {"ok": "yes"})
    assert good["status"] == "done" and good["steps"]["normal"]["output"] == "all good"
    assert "rescue" not in good["steps"]
    bad = run_workflow(biz, "jumps", {"ok": "no"})
    assert bad["status"] == "failed"
    assert bad["vars"]["why"] == "Not ok"
    assert bad["error"] == "give_up: gave up after Not ok"


def test_a_goto_loop_is_stopped(biz: Path) -> None:
    write_workflow(biz, "loop", """
        name: loop
        steps:
          - id: again
            uses: fail
            on-error: goto again
        """)
    from kundkit.workflows.engine import MAX_STEPS, Engine
    from kundkit.workflows.model import load_workflow

    assert MAX_STEPS == 200
    ctx = context(biz)
    run = Engine(ctx, max_steps=20).start(load_workflow(ctx, "loop"), {})
    assert run["status"] == "failed"
    assert "stopped after 20 steps" in run["error"]
    assert [e["status"] for e in run["log"]].count("failed") == 21


def test_task_create_defaults_to_the_customers_manager_and_refers_to_the_run(biz: Path) -> None:
    write_workflow(biz, "tasks", """
        name: tasks
        inputs:
          customer: {type: customer}
        steps:
          - id: call
            uses: task.create
            with:
              title: {sv: "Ring {{ customer.name }}", en: "Call {{ customer.name }}"}
              due: +3d
              note: Ask about the order
        """)
    run = run_workflow(biz, "tasks", {"customer": "Karin"})
    task = run["steps"]["call"]["output"]
    assert task["assignee"] == "erik"
    assert task["customer"] == "K1002"
    assert task["title"] == "Call Karin Nilsson"   # the operator's language (KUNDKIT_LANG=en)
    assert task["due"] == "2026-11-23"
    assert task["source"] == "workflow"
    assert task["ref"] == {"run": run["id"], "step": "call"}


def test_feedback_steps_create_and_update(biz: Path) -> None:
    write_workflow(biz, "fb", """
        name: fb
        steps:
          - id: new
            uses: feedback.create
            with: {customer: K1002, kind: claim, category: kvalitet, text: "The saw blade broke"}
          - id: answer
            uses: feedback.update
            with:
              feedback: "{{ steps.new.output.id }}"
              response: We will send a new blade
              via: phone
          - id: resolve
            uses: feedback.update
            with:
              feedback: "{{ steps.new.output.id }}"
              status: resolved
              resolution: A new blade was sent
              compensation: credit 250
          - id: close
            uses: feedback.update
            with: {feedback: "{{ steps.new.output.id }}", status: closed, satisfaction: 5}
        """)
    run = run_workflow(biz, "fb")
    assert run["status"] == "done", run["error"]
    created = run["steps"]["new"]["output"]
    assert created["assignee"] == "erik" and created["status"] == "new"
    assert created["deadlines"]["first_response"]["due"] == "2026-11-23T10:00:00+01:00"
    assert run["steps"]["answer"]["output"]["status"] == "acknowledged"
    stored = get_record(biz, "feedback", created["id"])
    assert stored["status"] == "closed" and stored["satisfaction"] == 5
    assert stored["compensation"] == {"type": "credit", "amount": "250.00", "currency": "SEK"}
    assert [h["status"] for h in stored["history"]] == ["new", "acknowledged", "resolved", "closed"]


def test_purchase_record_and_follow_up_make_one_consultation(biz: Path) -> None:
    write_workflow(biz, "sale", """
        name: sale
        steps:
          - id: buy
            uses: purchase.record
            with:
              customer: K1001
              lines: ["SAG-KAP:1", "SKRUV-100:2"]
          - id: consult
            uses: purchase.follow-up
            with: {purchase: "{{ steps.buy.output.id }}"}
        """)
    run = run_workflow(biz, "sale")
    assert run["status"] == "done", run["error"]
    purchase = run["steps"]["buy"]["output"]
    assert purchase["source"] == "workflow" and purchase["customer"] == "K1001"
    assert purchase["gross"] == "13078.00"
    consult = run["steps"]["consult"]["output"]
    # The sale's own follow-up made the task; the step finds it and makes no second one.
    assert consult["created"] == 0 and len(consult["tasks"]) == 1
    tasks = [t for t in all_records(biz, "tasks") if t["source"] == "key-product"]
    assert len(tasks) == 1 and tasks[0]["assignee"] == "anna"


def test_purchase_follow_up_makes_the_task_when_the_sale_did_not(biz: Path) -> None:
    write_workflow(biz, "sale", """
        name: sale
        steps:
          - id: buy
            uses: purchase.record
            with: {customer: K1002, lines: "SAG-KAP:1", follow_up: false}
          - id: consult
            uses: purchase.follow-up
            with: {purchase: "{{ steps.buy.output }}"}
        """)
    run = run_workflow(biz, "sale")
    assert run["status"] == "done", run["error"]
    assert run["steps"]["consult"]["output"]["created"] == 1
    tasks = [t for t in all_records(biz, "tasks") if t["source"] == "key-product"]
    assert [t["assignee"] for t in tasks] == ["erik"]


def test_channel_send_writes_the_message_and_records_it_or_fails_over(biz: Path) -> None:
    write_workflow(biz, "mail", """
        name: mail
        inputs:
          customer: {type: customer}
        steps:
          - id: send
            uses: channel.send
            on-error: goto call
            with:
              subject: {sv: "Hej {{ customer.name }}", en: "Hello {{ customer.name }}"}
              text: {sv: "Ditt ärende är klart.", en: "Your case is done."}
          - id: sent
            uses: end
          - id: call
            uses: task.create
            with: {title: "Call instead: {{ steps.send.error }}"}
        """)
    run = run_workflow(biz, "mail", {"customer": "K1002"})
    assert run["status"] == "done", run["error"]
    output = run["steps"]["send"]["output"]
    assert output["status"] == "sent" and output["channel"] == "outbox"
    [eml_file] = (biz / "outbox").glob("*.eml")
    assert output["detail"].endswith(eml_file.name)
    eml = eml_file.read_text(encoding="utf-8")
    assert "Subject: Hello Karin Nilsson" in eml and "Your case is done." in eml
    ctx = context(biz)
    with ctx.store.read() as tx:
        from kundkit.interactions import customer_history

        history = customer_history(tx, "K1002")
    assert [(i["kind"], i["channel"], i["status"]) for i in history] == [("message", "outbox", "sent")]

    unreachable = run_workflow(biz, "mail", {"customer": "K1003"})
    assert unreachable["status"] == "done"
    assert unreachable["steps"]["send"]["status"] == "failed"
    assert unreachable["steps"]["call"]["output"]["title"].startswith(
        "Call instead: no channel reaches K1003")


def test_wait_for_a_person_a_date_and_a_duration(biz: Path) -> None:
    from kundkit.workflows.engine import Engine, due_runs

    write_workflow(biz, "waits", """
        name: waits
        steps:
          - id: person
            uses: wait
            with: {message: {sv: "Ring kunden först", en: "Call the customer first"}}
          - id: date
            uses: wait
            with: {until: "2026-12-01"}
          - id: later
            uses: wait
            with: {for: 2d}
          - id: done
            uses: end
        """)
    run = run_workflow(biz, "waits")
    assert run["status"] == "waiting"
    assert run["waiting"]["kind"] == "person" and run["waiting"]["message"] == "Call the customer first"
    run = Engine(context(biz)).resume(run["id"])
    assert run["waiting"]["step"] == "date"
    assert run["waiting"]["until"] == "2026-12-01T00:00:00+01:00"
    assert due_runs(context(biz)) == []
    december = context(biz, now=context(biz).now().replace(day=1, month=12, hour=8))
    assert due_runs(december) == [run["id"]]
    run = Engine(december).resume(run["id"])
    assert run["waiting"]["step"] == "later"
    assert run["waiting"]["until"] == "2026-12-03T08:00:00+01:00"
    later = context(biz, now=december.now().replace(day=3, hour=9))
    run = Engine(later).resume(run["id"])
    assert run["status"] == "done"


def test_ask_takes_a_given_answer_asks_a_person_or_waits(biz: Path) -> None:
    from kundkit.workflows.engine import Engine
    from kundkit.workflows.model import load_workflow

    write_workflow(biz, "asks", """
        name: asks
        steps:
          - id: count
            uses: ask
            with:
              name: pieces
              type: number
              prompt: {sv: "Hur många?", en: "How many?"}
          - id: done
            uses: set
            with: {double: "{{ steps.count.output | float * 2 }}"}
        """)
    given = run_workflow(biz, "asks", {"pieces": "4"})
    assert given["status"] == "done" and given["steps"]["count"]["output"] == "4"

    asked: list[str] = []

    def asker(question):  # the command line's prompt, answered by a person
        asked.append(question.prompt)
        return "7"

    ctx = context(biz, no_input=False)
    run = Engine(ctx, asker=asker).start(load_workflow(ctx, "asks"), {})
    assert asked == ["How many?"] and run["vars"]["double"] == 14.0

    waiting = run_workflow(biz, "asks")
    assert waiting["status"] == "waiting" and waiting["waiting"]["kind"] == "answer"
    assert "--set pieces=VALUE" in waiting["waiting"]["message"]
    still = Engine(context(biz)).resume(waiting["id"], {"pieces": "many"})
    assert still["status"] == "waiting" and "is not a number" in still["waiting"]["message"]
    done = Engine(context(biz)).resume(waiting["id"], {"pieces": "3"})
    assert done["status"] == "done" and done["vars"]["double"] == 6.0


def test_a_dry_run_stores_nothing_and_sends_nothing(biz: Path) -> None:
    write_workflow(biz, "dry", """
        name: dry
        steps:
          - id: create
            uses: customer.create
            with: {name: Ny Kund, kind: person, email: ny@example.com}
          - id: mail
            uses: channel.send
            with: {text: Hello}
          - id: pause
            uses: wait
          - id: task
            uses: task.create
            with: {title: "Call {{ steps.create.output.id }}", assignee: anna}
        """)
    run = run_workflow(biz, "dry", dry_run=True)
    assert run["status"] == "done" and run["id"] == "R-DRY-RUN"
    assert run["steps"]["create"]["output"]["id"] == "K1004"
    assert run["steps"]["mail"]["output"] == {"status": "dry-run", "channel": "outbox",
                                              "detail": None, "interaction": None}
    assert run["steps"]["task"]["output"]["title"] == "Call K1004"
    assert any("would wait" in entry["message"] for entry in run["log"])
    assert any(entry["message"] == "would fire customer_created" for entry in run["log"])
    assert len(all_records(biz, "customers")) == 3
    assert all_records(biz, "tasks") == [] and all_records(biz, "workflow_runs") == []
    assert not (biz / "outbox").exists()


def test_reaching_for_python_internals_is_refused_when_the_run_gets_there(biz: Path) -> None:
    # A computed name gets past the check of the file; the sandbox refuses it as it runs.
    write_workflow(biz, "sneaky", """
        name: sneaky
        steps:
          - id: probe
            uses: set
            with: {x: "{{ run['_' ~ '_class__'] }}"}
        """)
    run = run_workflow(biz, "sneaky")
    assert run["status"] == "failed"
    assert "is refused" in run["error"] and "__class__" in run["error"]


def test_values_given_to_a_run_are_data_never_templates(biz: Path) -> None:
    write_workflow(biz, "echo", """
        name: echo
        inputs:
          text: {type: text}
        steps:
          - id: keep
            uses: set
            with: {said: "{{ inputs.text }}"}
        """)
    run = run_workflow(biz, "echo", {"text": "{{ config.business.name }} {{ ''.__class__ }}"})
    assert run["status"] == "done"
    assert run["vars"]["said"] == "{{ config.business.name }} {{ ''.__class__ }}"
