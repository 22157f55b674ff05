"""Walk a person through a behaviour algorithm, one step at a time.

:class:`Guide` is a plain state machine — the current step, the choices it offers, the path taken
so far — with no terminal in it, so that the command line, a test or another front end can drive
it the same way. An action offers one choice (done, go on); a question offers its answers; an
outcome ends the walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.standards.graph import ACTION, OUTCOME, QUESTION, Algorithm, Step


@dataclass(frozen=True)
class Choice:
    label: str
    next: str


@dataclass(frozen=True)
class Visit:
    """One step of the path taken, and the answer given there (None for actions and outcomes)."""

    step: str
    kind: str
    text: str
    answer: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.step, "kind": self.kind, "text": self.text, "answer": self.answer}


class Guide:
    """The state of one walk through ``algorithm``."""

    def __init__(self, algorithm: Algorithm) -> None:
        if algorithm.start not in algorithm.steps:
            raise ValidationError(_("the algorithm '{name}' has no start step").format(
                name=algorithm.name), field="start")
        self.algorithm = algorithm
        self._current = algorithm.start
        self._history: list[Visit] = []

    @property
    def current(self) -> Step:
        return self.algorithm.steps[self._current]

    @property
    def finished(self) -> bool:
        return self.current.kind == OUTCOME

    @property
    def outcome(self) -> Step | None:
        return self.current if self.finished else None

    def choices(self) -> list[Choice]:
        """What the person can do at the current step; empty once an outcome is reached."""
        step = self.current
        if step.kind == QUESTION:
            return [Choice(answer.text, answer.next) for answer in step.answers]
        if step.kind == ACTION and step.next is not None:
            return [Choice(_("Done, next step"), step.next)]
        return []

    def choose(self, index: int) -> Step:
        """Take choice number ``index`` (0-based) of :meth:`choices`; returns the new step."""
        choices = self.choices()
        if not choices:
            raise ValidationError(_("the walk has ended at '{step}'").format(step=self._current))
        if not 0 <= index < len(choices):
            raise ValidationError(_("there is no choice {number} at step '{step}' (1 to {count})")
                                  .format(number=index + 1, step=self._current,
                                          count=len(choices)))
        step = self.current
        answer = choices[index].label if step.kind == QUESTION else None
        self._history.append(Visit(step.id, step.kind, step.text, answer))
        self._current = choices[index].next
        return self.current

    def answer(self, text: str) -> Step:
        """Take the answer whose text is ``text`` (case and surrounding spaces ignored)."""
        wanted = text.strip().casefold()
        for index, choice in enumerate(self.choices()):
            if choice.label.strip().casefold() == wanted:
                return self.choose(index)
        offered = ", ".join(f"'{choice.label}'" for choice in self.choices())
        raise ValidationError(_("'{text}' is not an answer at step '{step}' (answers: {offered})")
                              .format(text=text, step=self._current, offered=offered))

    def back(self) -> Step:
        """Undo the last choice."""
        if not self._history:
            raise ValidationError(_("already at the first step"))
        self._current = self._history.pop().step
        return self.current

    @property
    def path(self) -> list[Visit]:
        """The steps walked so far, ending with the current one."""
        step = self.current
        return [*self._history, Visit(step.id, step.kind, step.text)]

    def summary(self) -> str:
        """One line: ``greet → busy (No) → ask-need … → served``."""
        return " → ".join(f"{visit.step} ({visit.answer})" if visit.answer else visit.step
                          for visit in self.path)

    def as_record(self) -> dict[str, Any]:
        """The walk as plain data, for an interaction log."""
        return {
            "algorithm": self.algorithm.name,
            "finished": self.finished,
            "outcome": self.outcome.id if self.outcome else None,
            "path": [visit.as_dict() for visit in self.path],
        }
