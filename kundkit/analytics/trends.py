"""Rising trends: categories whose count in the latest period exceeds their own history.

The test, for one category: let n_latest be its count in the latest period, n_history its count in
all earlier periods together, and e_latest, e_history the lengths (exposures, e.g. days) of those
periods. If the category's events came at one constant rate (a Poisson process), then given the
total n = n_latest + n_history each event falls in the latest period with probability
p = e_latest / (e_latest + e_history), so n_latest ~ Binomial(n, p). The one-sided p-value is
P(X >= n_latest) for that binomial: the exact conditional Poisson rate test. Being exact and
conditional, it never flags more than ``alpha`` of steady categories, whatever their rate.

A category is *tested* when its total over all periods reaches ``min_count``; it is *flagged* when
its latest count also reaches ``min_count`` and its p-value, after the chosen correction for testing
many categories at once, is at most ``alpha``:

- ``"none"``: each category on its own (right for one category a manager asked about);
- ``"bonferroni"``: p times the number tested (no steady category flagged, with probability >= 1-alpha);
- ``"bh"``: Benjamini-Hochberg (on average at most ``alpha`` of the flagged ones are steady),
  the default, because reports test many categories and words at once.

The strength of a trend is its rate ratio: the latest period's rate over the history's rate. A
category without history has no ratio; it is *new* and sorts first. Every result keeps its counts
per period, the evidence a reader can check. Pure Python: no numpy or scipy needed.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kundkit.errors import ValidationError
from kundkit.i18n import _

Correction = Literal["none", "bonferroni", "bh"]
CORRECTIONS: tuple[str, ...] = ("none", "bonferroni", "bh")


@dataclass(frozen=True)
class Period:
    """The days ``start`` <= day < ``end``."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end


def month_periods(latest: date, count: int) -> list[Period]:
    """``count`` calendar months, oldest first, the last one being the month of ``latest``;
    labelled ``YYYY-MM``."""
    if count < 2:
        raise ValidationError(_("A trend needs at least 2 periods, not {count}.").format(count=count),
                              field="periods")
    periods = []
    year, month = latest.year, latest.month
    for _step in range(count):
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        periods.append(Period(start, end, f"{year:04d}-{month:02d}"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return periods[::-1]


def day_periods(end: date, days: int, count: int) -> list[Period]:
    """``count`` periods of ``days`` days each, oldest first, the last one ending the day before
    ``end``; labelled by their first and last day."""
    if count < 2:
        raise ValidationError(_("A trend needs at least 2 periods, not {count}.").format(count=count),
                              field="periods")
    if days < 1:
        raise ValidationError(_("A period must be at least one day long."), field="days")
    periods = []
    for index in range(count, 0, -1):
        start = end - timedelta(days=days * index)
        stop = start + timedelta(days=days)
        last = stop - timedelta(days=1)
        label = start.isoformat() if days == 1 else f"{start.isoformat()}–{last.isoformat()}"
        periods.append(Period(start, stop, label))
    return periods


def count_per_period(events: Iterable[tuple[Hashable, date]],
                     periods: Sequence[Period]) -> dict[Hashable, list[int]]:
    """Count ``(category, day)`` events per period; events outside every period are left out.
    Every category seen gets a full row of counts, zeros included."""
    _check_periods(periods)
    counts: dict[Hashable, list[int]] = defaultdict(lambda: [0] * len(periods))
    first, last = periods[0].start, periods[-1].end
    for key, day in events:
        if not first <= day < last:
            continue
        for index, period in enumerate(periods):
            if day in period:
                counts[key][index] += 1
                break
    return dict(counts)


@dataclass(frozen=True)
class RateTest:
    """The exact conditional test of one category's latest count against its history."""

    latest: int
    history: int
    latest_exposure: float
    history_exposure: float
    p_value: float

    @property
    def expected(self) -> float:
        """The latest count to expect at the history's rate."""
        return self.history * self.latest_exposure / self.history_exposure

    @property
    def rate_ratio(self) -> float | None:
        """Latest rate / history rate; ``None`` when the history has no events (a new category)."""
        if self.history == 0:
            return None
        return (self.latest / self.latest_exposure) / (self.history / self.history_exposure)


def poisson_rate_test(latest: int, history: int, *, latest_exposure: float = 1.0,
                      history_exposure: float = 1.0) -> RateTest:
    """One-sided exact Poisson rate test: is the latest rate higher than the history's?"""
    for name, value in (("latest", latest), ("history", history)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(_("A count must be a whole number of at least 0, not {value!r}.")
                                  .format(value=value), field=name)
    for name, value in (("latest_exposure", latest_exposure), ("history_exposure", history_exposure)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise ValidationError(_("A period's length must be a positive number, not {value!r}.")
                                  .format(value=value), field=name)
    share = latest_exposure / (latest_exposure + history_exposure)
    p_value = binomial_upper_tail(latest, latest + history, share)
    return RateTest(latest, history, float(latest_exposure), float(history_exposure), p_value)


def binomial_upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in a numerically safe way (no scipy)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    odds = p / (1.0 - p)
    mode = math.floor((n + 1) * p)
    if k > mode:
        # Terms fall from k upwards: sum them relative to the first one.
        total, term = 1.0, 1.0
        for i in range(k, n):
            term *= (n - i) / (i + 1) * odds
            total += term
            if term < total * 1e-17:
                break
        return min(1.0, math.exp(_log_pmf(k, n, p)) * total)
    # Below the mode the lower tail is the short sum: terms fall from k-1 downwards.
    total, term = 1.0, 1.0
    for i in range(k - 1, 0, -1):
        term *= i / (n - i + 1) / odds
        total += term
        if term < total * 1e-17:
            break
    return max(0.0, 1.0 - math.exp(_log_pmf(k - 1, n, p)) * total)


def _log_pmf(k: int, n: int, p: float) -> float:
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


@dataclass(frozen=True)
class Trend:
    """One tested category: its counts per period (oldest first, the latest last), the test,
    the p-value after correction, and whether it is flagged as rising."""

    key: Hashable
    counts: tuple[int, ...]
    labels: tuple[str, ...]
    test: RateTest
    adjusted_p: float
    flagged: bool

    @property
    def latest(self) -> int:
        return self.counts[-1]

    @property
    def rate_ratio(self) -> float | None:
        return self.test.rate_ratio

    @property
    def p_value(self) -> float:
        return self.test.p_value

    @property
    def is_new(self) -> bool:
        return self.test.history == 0

    def evidence(self) -> str:
        """The counts per period as one line, e.g. ``2024-01: 3, 2024-02: 2, 2024-03: 11``."""
        return ", ".join(f"{label}: {count}" for label, count in zip(self.labels, self.counts))

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON output (no infinities: a new category has ``rate_ratio`` null)."""
        return {"key": self.key, "counts": dict(zip(self.labels, self.counts)),
                "latest": self.latest, "expected": round(self.test.expected, 6),
                "rate_ratio": None if self.rate_ratio is None else round(self.rate_ratio, 6),
                "new": self.is_new, "p_value": self.p_value, "adjusted_p": self.adjusted_p,
                "flagged": self.flagged}


@dataclass(frozen=True)
class TrendReport:
    """What a trend search found. ``flagged``: the rising ones, strongest first. ``results``: every
    tested category, in the order given. ``method``: the test in words, for the report's reader."""

    flagged: list[Trend]
    results: list[Trend]
    tested: int
    method: str


def strength_order(trend: Trend) -> tuple:
    """Sort key, strongest first: new categories (by latest count), then by rate ratio, then by
    p-value."""
    ratio = trend.rate_ratio
    return (0 if ratio is None else 1, -(ratio or 0.0), -trend.latest, trend.p_value, str(trend.key))


def find_trends(series: Mapping[Hashable, Sequence[int]], *,
                periods: Sequence[Period] | None = None, labels: Sequence[str] | None = None,
                exposures: Sequence[float] | None = None, alpha: float = 0.05,
                min_count: int = 5, correction: Correction = "bh") -> TrendReport:
    """Test every category's latest count (the last of its counts) against its earlier periods.

    ``series`` maps each category to its counts per period, oldest first, all of one length (at
    least 2). ``periods`` (from :func:`month_periods`, :func:`day_periods`) supply the labels and,
    as their number of days, the exposures; otherwise ``labels`` and ``exposures`` may be given
    (default: periods 1, 2, ... of equal length).
    """
    lengths = {len(counts) for counts in series.values()}
    size = lengths.pop() if len(lengths) == 1 else None
    if lengths or (size is not None and size < 2):
        raise ValidationError(_("Every category needs counts for the same periods, at least 2."),
                              field="series")
    if periods is not None:
        _check_periods(periods)
        labels = [p.label for p in periods] if labels is None else labels
        exposures = [float(p.days) for p in periods] if exposures is None else exposures
    size = size if size is not None else (len(periods) if periods is not None else 2)
    labels = [str(n) for n in range(1, size + 1)] if labels is None else [str(x) for x in labels]
    exposures = [1.0] * size if exposures is None else [float(e) for e in exposures]
    if len(labels) != size or len(exposures) != size:
        raise ValidationError(_("There are {periods} periods but {counts} counts per category.")
                              .format(periods=len(labels) if len(labels) != size else len(exposures),
                                      counts=size), field="periods")
    if not 0 < alpha < 1:
        raise ValidationError(_("The significance level must be between 0 and 1, not {value}.")
                              .format(value=alpha), field="alpha")
    if min_count < 1:
        raise ValidationError(_("The minimum count must be at least 1, not {value}.")
                              .format(value=min_count), field="min_count")
    if correction not in CORRECTIONS:
        raise ValidationError(_("Unknown correction {name!r}; choose one of {choices}.")
                              .format(name=correction, choices=", ".join(CORRECTIONS)),
                              field="correction")
    history_exposure = sum(exposures[:-1])
    tests: list[tuple[Hashable, tuple[int, ...], RateTest]] = []
    for key, counts in series.items():
        counts = tuple(counts)
        if sum(counts) < min_count:
            continue
        test = poisson_rate_test(counts[-1], sum(counts[:-1]), latest_exposure=exposures[-1],
                                 history_exposure=history_exposure)
        tests.append((key, counts, test))
    adjusted = adjust_p_values([t.p_value for _key, _counts, t in tests], correction)
    results = [Trend(key, counts, tuple(labels), test, adj,
                     flagged=adj <= alpha and counts[-1] >= min_count and
                     counts[-1] > test.expected)
               for (key, counts, test), adj in zip(tests, adjusted)]
    flagged = sorted((t for t in results if t.flagged), key=strength_order)
    method = describe_method(periods=size, alpha=alpha, min_count=min_count,
                             correction=correction, tested=len(results))
    return TrendReport(flagged, results, len(results), method)


def adjust_p_values(p_values: Sequence[float], correction: Correction) -> list[float]:
    """P-values corrected for testing them all at once (see the module docstring)."""
    m = len(p_values)
    if correction == "none" or m == 0:
        return list(p_values)
    if correction == "bonferroni":
        return [min(1.0, p * m) for p in p_values]
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = min(1.0, running)
    return adjusted


def describe_method(*, periods: int, alpha: float, min_count: int, correction: Correction,
                    tested: int) -> str:
    """The test in one paragraph, in the active language, for the foot of a trend report."""
    corrections = {
        "none": _("without correction for testing many categories"),
        "bonferroni": _("with Bonferroni's correction over the {tested} categories tested"),
        "bh": _("with Benjamini and Hochberg's false discovery rate control over the {tested} "
                "categories tested"),
    }
    return _("One-sided exact Poisson rate test of the latest period against the {history} "
             "previous periods (conditional binomial test, adjusted for the periods' lengths); "
             "a category is tested when it has at least {min_count} events in all, and flagged "
             "when the latest period has at least {min_count} and p <= {alpha}, {correction}.") \
        .format(history=periods - 1, min_count=min_count, alpha=f"{alpha:g}",
                correction=corrections[correction].format(tested=tested))


def _check_periods(periods: Sequence[Period]) -> None:
    if len(periods) < 2:
        raise ValidationError(_("A trend needs at least 2 periods, not {count}.")
                              .format(count=len(periods)), field="periods")
    for before, after in zip(periods, periods[1:]):
        if before.end != after.start:
            raise ValidationError(_("Periods {first} and {second} are not consecutive.")
                                  .format(first=before.label, second=after.label), field="periods")
    for period in periods:
        if period.days < 1:
            raise ValidationError(_("Period {label} is empty.").format(label=period.label),
                                  field="periods")


# -- words and phrases ------------------------------------------------------------------------

STOP_WORDS_EN = frozenset("""
a about above after again against all almost also am an and another any anybody anyone anything
are aren't around as at be became because become been before being below between both but by
can can't cannot could couldn't did didn't do does doesn't doing don't done down during each
either else enough etc even ever every few for from further get gets getting got had hadn't has
hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let let's like
made make many may me might more most much must mustn't my myself neither no nor not now of off
often on once one only or other others otherwise ought our ours ourselves out over own per
perhaps quite rather really same shall shan't she she'd she'll she's should shouldn't since so
some somebody someone something still such than that that's the their theirs them themselves
then there there's these they they'd they'll they're they've this those though through thus to
too under until up upon us very via was wasn't we we'd we'll we're we've were weren't what
what's whatever when when's where where's whether which while who who's whom whose why why's
will with within without won't would wouldn't yes yet you you'd you'll you're you've your yours
yourself yourselves
hi hello hey dear thanks thank please regards kind best sincerely cheers ok okay
""".split())

STOP_WORDS_SV = frozenset("""
alla allas allt alltid alltså andra annan annat att av bara behöver bli blev blir blivit bör
de dem den denna deras dess dessa det detta dig din dina ditt du där därför då efter ej eftersom
eller emot en er era ert ett från får fick för före ganska genom ha hade haft han hans har
hela helt henne hennes hit hon honom hur här hos i icke igen ingen inget inga inom inte ju jag
kan kanske kommer kunde kunna man med mellan men mer mest mig min mina mitt mot mycket många
måste ni nog nu när någon något några och också om oss på redan sa sade samma sedan sig sin
sina sitt sitta själv ska skall skulle som så sådan sådana sådant till tills under upp ur ut
utan vad var vara varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vill vår
våra vårt än är ändå även åt över
hej hejsan tack mvh hälsningar hälsning vänliga vänligen bästa
""".split())

STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_SV

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Phrases do not run across sentence or clause boundaries.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]{}\"“”«»/\n\r\t]+|\s[-–—]+\s")


def tokenise(text: str) -> list[list[str]]:
    """The content words of ``text``, clause by clause: lower-cased Swedish or English words of at
    least two letters (numbers dropped), without the stop words of either language. No stemming:
    "leverans" and "leveransen" are different words."""
    clauses = []
    for clause in _CLAUSE_BREAK.split(text.lower()):
        words = [w.replace("’", "'") for w in _WORD.findall(clause)]
        words = [w for w in words if len(w) >= 2 and w not in STOP_WORDS]
        if words:
            clauses.append(words)
    return clauses


def terms(text: str, *, bigrams: bool = True) -> set[str]:
    """The words of ``text`` and, with ``bigrams``, its two-word phrases (two content words next
    to each other once stop words are dropped, within one clause: "delivery was late" gives
    "delivery late")."""
    found: set[str] = set()
    for words in tokenise(text):
        found.update(words)
        if bigrams:
            found.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a != b)
    return found


def rising_terms(texts: Iterable[tuple[str, date]], periods: Sequence[Period], *,
                 alpha: float = 0.05, min_count: int = 3, correction: Correction = "bh",
                 bigrams: bool = True) -> TrendReport:
    """Words and phrases of feedback texts that rise in the latest period.

    Each ``(text, day)`` counts a term at most once, so the counts are numbers of texts that use
    the term and one long letter cannot make a trend. The test is :func:`find_trends`' test.
    """
    _check_periods(periods)
    per_text = ((term, day) for text, day in texts for term in terms(text, bigrams=bigrams))
    series = count_per_period(per_text, periods)
    return find_trends(series, periods=periods, alpha=alpha, min_count=min_count,
                       correction=correction)


def term_counts(texts: Iterable[str], *, bigrams: bool = True) -> Counter[str]:
    """How many of ``texts`` use each term."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text, bigrams=bigrams))
    return counts
