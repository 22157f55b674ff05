"""Finding customers that are already registered, cheaply, on a register of any size.

Identifiers are canonical, so a same organisation number, personal identity number, e-mail or
phone is an exact-key look-up in an index built once per transaction. Only names need a fuzzy
comparison (:func:`kundkit.identity.name_similarity`, about 0.15 ms each), and that runs on few
candidates: those of the right kind (see :func:`_classes_to_search`), sharing one of the new
name's rarest word starts, and whose letter pairs overlap enough; the best few of those are
compared in full. The work per new name is bounded whatever the register holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.customers import TABLE, customer_buckets
from kundkit.errors import Conflict
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.store import Transaction


class DuplicateCustomer(Conflict):
    """The new customer looks like one already registered; ``matches`` says which and why."""

    def __init__(self, message: str, matches: list[Match]) -> None:
        super().__init__(message)
        self.matches = matches


@dataclass
class Match:
    """A registered customer that looks like the one being added, and why."""

    customer: dict[str, Any]
    reasons: list[str] = field(default_factory=list)
    score: float = 1.0




_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss"})
_LEGAL = frozenset("ab hb kb aktiebolag aktiebolaget handelsbolag ltd inc llc gmbh och and co".split())
# Names are compared fuzzily only with candidates that share one of the new name's rarest word
# starts, and whose letter pairs overlap enough. name_similarity() >= 0.85 went with a Dice
# coefficient of letter pairs of at least 0.5 in every case of a test of 20,000 misspelt and
# reordered names, so 0.5 loses no real match and skips about 99 % of other names.
_RAREST_KEYS = 2
_SMALL_POSTING = 50
_MIN_DICE = 0.5
# Bounds on the work for one name, whatever the register looks like: at most this many candidates
# get the letter-pair test, and the best few of those the full comparison.
_MAX_CANDIDATES = 1500
_MAX_COMPARED = 6


def _name_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    words = re.findall(r"[^\W_]+", "".join(c for c in text if not unicodedata.combining(c)))
    return [w for w in words if w not in _LEGAL] or words


def _name_keys(name: str) -> set[str]:
    """Cheap keys for the prefilter: the first three letters of each significant word."""
    return {w[:3] for w in _name_words(name)}


def _pairs(name: str) -> frozenset[str]:
    joined = " ".join(sorted(_name_words(name)))
    return frozenset(joined[i:i + 2] for i in range(len(joined) - 1))


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


@dataclass
class _KeyIndex:
    raw: dict[str, Any]
    sources: list[dict[str, Any]]
    sizes: list[int]
    exact: dict[tuple[str, str], list[str]]
    names: dict[tuple[bool, bool], dict[str, list[Any]]] | None = None
    pairs: dict[str, frozenset[str]] = field(default_factory=dict)

    def pairs_of(self, key: str) -> frozenset[str]:
        found = self.pairs.get(key)
        if found is None:
            found = self.pairs[key] = _pairs(self.raw[key].get("name") or "")
        return found


def _key_pairs(record: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for key in ("orgnr", "personnummer", "phone"):
        if record.get(key):
            yield key, record[key]
    if record.get("email"):
        yield "email", record["email"].casefold()


def _index(tx: Transaction) -> _KeyIndex:
    # The buckets' dicts as the store holds them now: a write replaces or grows them, and then
    # the index is rebuilt.
    sources = [tx.raw(TABLE, bucket) for bucket in customer_buckets(tx)]
    sizes = [len(source) for source in sources]
    cached: _KeyIndex | None = getattr(tx, "_kundkit_customer_index", None)
    if cached is not None and cached.sizes == sizes and all(
            a is b for a, b in zip(cached.sources, sources)):
        return cached
    raw: dict[str, Any] = {}
    for source in sources:
        raw.update(source)
    exact: dict[tuple[str, str], list[str]] = {}
    for key, record in raw.items():
        if record.get("forgotten_at"):
            continue
        for pair in _key_pairs(record):
            exact.setdefault(pair, []).append(key)
    index = _KeyIndex(raw, sources, sizes, exact)
    tx._kundkit_customer_index = index  # type: ignore[attr-defined]
    return index


def _number_class(record: dict[str, Any]) -> tuple[bool, bool]:
    return bool(record.get("orgnr")), bool(record.get("personnummer"))


def _classes_to_search(fields: dict[str, Any]) -> list[tuple[bool, bool]]:
    """Which kinds of record a new name is compared with. Two different numbers of the same kind
    are two different legal persons, however alike their names ("Nilssons Bygg AB" in Sala and in
    Köping), and the same number is found by the exact look-up; so a new customer with an
    organisation number is compared only with customers without one, and so on."""
    has_org, has_pnr = _number_class(fields)
    return [(o, p) for o in (False, True) for p in (False, True)
            if not (has_org and o) and not (has_pnr and p)]


NameIndex = dict[tuple[bool, bool], dict[str, list[Any]]]


def _name_index(index: _KeyIndex) -> NameIndex:
    if index.names is None:
        names: NameIndex = {}
        for key, record in index.raw.items():
            if record.get("forgotten_at") or not record.get("name"):
                continue
            postings = names.setdefault(_number_class(record), {})
            for k in _name_keys(record["name"]):
                postings.setdefault(k, []).append(key)
        index.names = names
    return index.names


def _blocking_keys(keys: set[str], postings: Callable[[str], int]) -> list[str]:
    """The keys whose postings are searched: the rarest few, and every rare one."""
    ordered = sorted(keys, key=lambda k: (postings(k), k))
    return [k for i, k in enumerate(ordered) if i < _RAREST_KEYS or postings(k) <= _SMALL_POSTING]


_REASONS = {"orgnr": "same organisation number", "personnummer": "same personal identity number",
            "email": "same e-mail address", "phone": "same phone number"}


class DuplicateFinder:
    """Finds registered customers that look like a new one; also remembers the new ones of a batch,
    so that two rows of one import file that are the same customer are caught too."""

    def __init__(self, tx: Transaction, threshold: float) -> None:
        self.tx = tx
        self.threshold = threshold
        self.index = _index(tx)
        self.pending: list[dict[str, Any]] = []
        self._pending_exact: dict[tuple[str, str], list[int]] = {}
        self._pending_names: dict[tuple[bool, bool], dict[str, list[int]]] = {}
        self._pending_pairs: list[frozenset[str]] = []

    def find(self, fields: dict[str, Any], *, exclude: str | None = None) -> list[Match]:
        from kundkit.identity import name_similarity

        found: dict[str, Match] = {}

        def note(record: dict[str, Any], reason: str, score: float = 1.0) -> None:
            if exclude and record.get("id") == exclude:
                return
            match = found.setdefault(record.get("id") or str(id(record)), Match(customer=record, score=score))
            match.reasons.append(reason)
            match.score = max(match.score, score)

        raw = self.index.raw
        for pair in _key_pairs(fields):
            for key in self.index.exact.get(pair, []):
                note(raw[key], _(_REASONS[pair[0]]))
            for i in self._pending_exact.get(pair, []):
                note(self.pending[i], _(_REASONS[pair[0]]))
        name = fields.get("name")
        if name:
            classes = _classes_to_search(fields)
            stored_index = _name_index(self.index)
            stored = [stored_index.get(c, {}) for c in classes]
            batch = [self._pending_names.get(c, {}) for c in classes]

            def postings(k: str) -> int:
                return sum(len(p.get(k, ())) for p in stored) + sum(len(p.get(k, ())) for p in batch)

            probe = _pairs(name)
            scored: dict[int, tuple[float, dict[str, Any]]] = {}
            budget = _MAX_CANDIDATES
            for block in _blocking_keys(_name_keys(name), postings):
                keys = [k for p in stored for k in p.get(block, ())][:budget]
                budget -= len(keys)
                for k in keys:
                    record = raw[k]
                    if id(record) not in scored and not (exclude and record.get("id") == exclude):
                        scored[id(record)] = (_dice(probe, self.index.pairs_of(k)), record)
                numbers = [i for p in batch for i in p.get(block, ())][:max(budget, 0)]
                budget -= len(numbers)
                for i in numbers:
                    record = self.pending[i]
                    if id(record) not in scored:
                        scored[id(record)] = (_dice(probe, self._pending_pairs[i]), record)
                if budget <= 0:
                    break
            best = sorted((v for v in scored.values() if v[0] >= _MIN_DICE), key=lambda v: -v[0])
            for _d, record in best[:_MAX_COMPARED]:
                score = name_similarity(name, record["name"])
                if score >= self.threshold:
                    note(record, _("similar name ({score:.0%})").format(score=score), score)
        return sorted(found.values(), key=lambda m: (-len(m.reasons), -m.score, m.customer.get("id") or ""))

    def add(self, record: dict[str, Any]) -> None:
        """Remember a customer of the batch that is not in the store yet."""
        i = len(self.pending)
        self.pending.append(record)
        for pair in _key_pairs(record):
            self._pending_exact.setdefault(pair, []).append(i)
        postings = self._pending_names.setdefault(_number_class(record), {})
        for k in _name_keys(record.get("name") or ""):
            postings.setdefault(k, []).append(i)
        self._pending_pairs.append(_pairs(record.get("name") or ""))


def describe_match(match: Match) -> str:
    customer = match.customer
    # A customer of the same import file has no id yet: it is named by its line instead.
    where = customer.get("id") or _("line {line} of this file").format(line=customer.get("_line", "?"))
    return _("{id} {name} ({reasons})").format(id=where, name=customer.get("name", ""),
                                               reasons=", ".join(match.reasons))


def duplicate_error(matches: list[Match]) -> DuplicateCustomer:
    shown = "; ".join(describe_match(m) for m in matches[:3])
    return DuplicateCustomer(_("this customer looks already registered: {matches}; check with "
                               "'kundkit customer show', or use --force to add anyway").format(
        matches=shown), matches)
