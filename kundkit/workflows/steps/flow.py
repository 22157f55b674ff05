"""The step types that steer a run: ``ask``, ``set``, ``wait``, ``end`` and ``fail``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from kundkit.errors import MissingValue, ValidationError
from kundkit.i18n import _
from kundkit.workflows.model import IDENT_PATTERN, INPUT_TYPES
from kundkit.workflows.steptypes import Question, StepCall, StepFailed, StepType, Wait

_IDENT = re.compile(IDENT_PATTERN)


def _templated(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def _choices(value: Any, language: str) -> tuple[tuple[str, str], ...]:
    from kundkit.workflows.model import pick_text

    if isinstance(value, Mapping):
        return tuple((str(k), pick_text(v, language) or str(k)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple((str(v), str(v)) for v in value)
    return ()


class Ask(StepType):
    name = "ask"
    description = ("Ask the operator for a value (or take it from --set NAME=VALUE or a CSV "
                   "column); with nobody to ask, the run waits for the answer.")
    parameters = {
        "name": "the answer's name (lower-case letters, digits and _)",
        "type": "text, number, choice, date, email, phone, orgnr, customer or staff (default text)",
        "prompt": "the question, or {sv: ..., en: ...}",
        "choices": "for type choice: the values, or value → label",
        "default": "the answer when the operator just presses Enter",
        "required": "false lets the operator leave it empty (default true)",
    }
    required = ("name",)
    interactive = True

    def check(self, args: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        problems: list[tuple[tuple[Any, ...], str]] = []
        name = args.get("name")
        if isinstance(name, str) and not _templated(name) and not _IDENT.match(name):
            problems.append((("name",), _("'{name}' is not a name (lower-case letters, digits and "
                                          "_)").format(name=name)))
        kind = args.get("type", "text")
        if isinstance(kind, str) and not _templated(kind) and kind not in INPUT_TYPES:
            problems.append((("type",), _("unknown type '{kind}' (known: {known})").format(
                kind=kind, known=", ".join(INPUT_TYPES))))
        if kind == "choice" and not args.get("choices"):
            problems.append(((), _("an answer of type choice needs 'choices'")))
        return problems

    def run(self, call: StepCall) -> Any:
        from kundkit.workflows.inputs import parse_value

        name = str(call.need("name"))
        kind = str(call.arg("type", "text"))
        from kundkit.i18n import get_language

        choices = _choices(call.arg("choices"), get_language())
        required = call.arg("required", True) not in (False, "false", "no")
        question = Question(name=name, type=kind, prompt=call.operator_text(call.arg("prompt")) or name,
                            choices=choices, default=call.arg("default"), required=required)
        if call.dry_run and name not in call.given:
            value = question.default if question.default is not None else f"<{name}>"
            call.note(_("would ask: {prompt}").format(prompt=question.prompt))
            return value
        try:
            answer = call.ask(question)
        except MissingValue:
            if question.default is not None:
                answer = question.default
            elif not required:
                return None
            else:
                return Wait(message=_("waiting for an answer to '{prompt}': resume with --set "
                                      "{name}=VALUE").format(prompt=question.prompt, name=name),
                            rerun=True, name=name)
        if answer in (None, "") and not required:
            return None
        try:
            return parse_value(call.ctx, None, kind, answer, name, choices)
        except ValidationError as exc:
            if call.asker is not None and not call.ctx.no_input:
                raise
            return Wait(message=_("the answer for '{name}' is not valid ({reason}): resume with "
                                  "--set {name}=VALUE").format(name=name, reason=exc.message),
                        rerun=True, name=name)


class SetVariables(StepType):
    name = "set"
    description = "Set variables (vars.NAME) for the steps that follow."
    parameters = None

    def check(self, args: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        return [((key,), _("'{name}' is not a name (lower-case letters, digits and _)").format(
            name=key)) for key in args if not _IDENT.match(str(key))]

    def run(self, call: StepCall) -> Any:
        for key, value in call.args.items():
            call.set_var(str(key), value)
        return dict(call.args)


def _moment(call: StepCall, value: Any) -> datetime:
    zone = call.ctx.tz
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    text = str(value).strip()
    try:
        if "T" in text or " " in text:
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=zone)
        return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=zone)
    except ValueError:
        raise ValidationError(_("until: '{value}' is not a date or a date and time").format(
            value=value), field="until") from None


class WaitStep(StepType):
    name = "wait"
    description = ("Pause the run: until a date ('until'), for a while ('for': 7d, 4h), or until "
                   "a person resumes it (neither).")
    parameters = {
        "until": "a date or date and time to go on at (workflow resume --due)",
        "for": "how long to wait: 30m, 4h, 7d, 2w",
        "message": "what the run waits for, or {sv: ..., en: ...}",
    }

    def check(self, args: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        from kundkit.calendar import parse_duration

        if "until" in args and "for" in args:
            return [((), _("give 'until' or 'for', not both"))]
        duration = args.get("for")
        if isinstance(duration, str) and not _templated(duration):
            try:
                parse_duration(duration)
            except ValidationError as exc:
                return [(("for",), exc.message)]
        return []

    def run(self, call: StepCall) -> Any:
        from kundkit.calendar import parse_duration

        message = call.operator_text(call.arg("message"))
        until = call.arg("until")
        duration = call.arg("for")
        if until is not None:
            moment = _moment(call, until)
            return Wait(message=message or _("waiting until {until}").format(
                until=moment.isoformat(timespec="minutes")), until=moment)
        if duration is not None:
            moment = call.ctx.now() + parse_duration(str(duration))
            return Wait(message=message or _("waiting until {until}").format(
                until=moment.isoformat(timespec="minutes")), until=moment)
        return Wait(message=message or _("waiting for a person to resume the run"))


class EndStep(StepType):
    name = "end"
    description = "End the run here, as done."
    parameters = {"message": "why the run ends, or {sv: ..., en: ...}"}

    def run(self, call: StepCall) -> Any:
        return call.end(call.operator_text(call.arg("message")))


class FailStep(StepType):
    name = "fail"
    description = "Fail the step with a message (the step's on-error decides what follows)."
    parameters = {"message": "what went wrong, or {sv: ..., en: ...}"}

    def run(self, call: StepCall) -> Any:
        raise StepFailed(call.operator_text(call.arg("message")) or _("the workflow failed here"))
