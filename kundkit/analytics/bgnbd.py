"""The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers the easy
way: an alternative to the Pareto/NBD model", Marketing Science 24(2)).

The model's story: while a customer is active, purchases come as a Poisson process with rate
lambda; lambda varies across customers as Gamma(shape r, rate alpha). After each purchase the
customer drops out for good with probability p; p varies across customers as Beta(a, b). What the
store knows of a customer is summed up by three figures, measured from the first purchase in a
chosen unit of time (a week by default):

- ``x``: the number of repeat purchases (purchase days after the first one),
- ``t_x``: the time of the last purchase,
- ``T``: the customer's age, the time from the first purchase to "now".

:func:`fit` finds (r, alpha, a, b) by maximum likelihood; :func:`p_alive` is the probability that
a customer is still active, :func:`expected_purchases` the expected number of purchases in the next
``t`` units. The numeric work needs numpy and scipy, the optional extra ``kundkit[forecast]``;
:func:`summarise` and :func:`p_alive` need neither.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kundkit.errors import KundkitError, ValidationError
from kundkit.i18n import _

# The search runs over log-parameters within these limits (about 1e-5 to 1e5); a parameter that
# ends on a limit is reported, because the data then say little about it.
_LOG_LIMIT = 11.5
# Where |a - 1| is this small the closed form cancels catastrophically; integrate instead.
_NEAR_ONE = 1e-3


def _numeric() -> tuple[Any, Any]:
    """numpy and scipy, or a clear instruction to install them."""
    try:
        import numpy
        import scipy.optimize  # noqa: F401
        import scipy.special  # noqa: F401
    except ImportError:
        raise KundkitError(_("The forecast needs numpy and scipy, which are not installed: "
                             "pip install 'kundkit[forecast]'")) from None
    import scipy

    return numpy, scipy


@dataclass(frozen=True)
class CustomerHistory:
    """One customer's purchase history as the model sees it (times in the fit's unit)."""

    customer: str
    x: int
    t_x: float
    T: float


@dataclass(frozen=True)
class BGNBDParams:
    r: float
    alpha: float
    a: float
    b: float

    def as_dict(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}


@dataclass(frozen=True)
class BGNBDFit:
    """A maximum-likelihood fit. ``standard_errors`` come from the curvature of the
    log-likelihood at its maximum (None where it could not be inverted); ``notes`` are translated
    warnings for the report's reader (a parameter at the limit of the search, too few customers)."""

    params: BGNBDParams
    standard_errors: BGNBDParams | None
    log_likelihood: float
    customers: int
    repeat_customers: int
    unit_days: int | None
    converged: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CustomerForecast:
    customer: str
    x: int
    t_x: float
    T: float
    expected: float
    p_alive: float


def summarise(purchases: Iterable[tuple[str, date]], *, now: date,
              unit_days: int = 7) -> list[CustomerHistory]:
    """Each customer's (x, t_x, T) from ``(customer, day)`` purchases, sorted by customer.

    Several purchases on one day count as one (the model counts purchase occasions). Times are in
    units of ``unit_days`` days (7: weeks) from the customer's first purchase day to the last
    purchase day (t_x) and to ``now`` (T). A ``datetime`` is taken as its calendar day, so convert
    it to the business's time zone first. A purchase after ``now`` is an error.
    """
    if not isinstance(unit_days, int) or isinstance(unit_days, bool) or unit_days < 1:
        raise ValidationError(_("The unit of time must be a whole number of days, at least 1, "
                                "not {value!r}.").format(value=unit_days), field="unit_days")
    today = now.date() if isinstance(now, datetime) else now
    days: dict[str, set[date]] = defaultdict(set)
    for customer, day in purchases:
        if isinstance(day, datetime):
            day = day.date()
        if not isinstance(day, date):
            raise ValidationError(_("The purchase date of customer {customer} is not a date: "
                                    "{value!r}.").format(customer=customer, value=day),
                                  field="date")
        if day > today:
            raise ValidationError(_("Customer {customer} has a purchase on {day}, after the "
                                    "forecast's date {now}.").format(customer=customer, day=day,
                                                                     now=today), field="date")
        days[customer].add(day)
    histories = []
    for customer in sorted(days):
        first, last = min(days[customer]), max(days[customer])
        histories.append(CustomerHistory(customer, len(days[customer]) - 1,
                                         (last - first).days / unit_days,
                                         (today - first).days / unit_days))
    return histories


def _check_history(x: float, t_x: float, T: float) -> None:
    if x < 0 or t_x < 0 or T < t_x or (x > 0 and t_x == 0) or x != int(x):
        raise ValidationError(_("Not a possible purchase history: x={x}, t_x={t_x}, T={T} "
                                "(need a whole x >= 0 and 0 <= t_x <= T, t_x > 0 when x > 0).")
                              .format(x=x, t_x=t_x, T=T), field="history")


def _check_params(params: BGNBDParams) -> None:
    for name, value in params.as_dict().items():
        if not (math.isfinite(value) and value > 0):
            raise ValidationError(_("The model parameter {name} must be a positive number, not "
                                    "{value!r}.").format(name=name, value=value), field=name)


def p_alive(params: BGNBDParams, x: int, t_x: float, T: float) -> float:
    """P(the customer is still active at T | x, t_x, T) (Fader, Hardie & Lee 2008, "Computing
    P(alive) using the BG/NBD model").

    A customer without repeat purchases (x = 0) is active with probability 1: in this model a
    customer can only drop out right after a repeat purchase (the first purchase starts the
    relationship). That is a known weakness of BG/NBD for one-off buyers; the report should say
    so rather than call them loyal.
    """
    _check_params(params)
    _check_history(x, t_x, T)
    if x == 0:
        return 1.0
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    log_odds = (math.log(a) - math.log(b + x - 1)
                + (r + x) * (math.log(alpha + T) - math.log(alpha + t_x)))
    # 1 / (1 + e^log_odds), without overflow either way.
    if log_odds > 0:
        odds = math.exp(-log_odds)
        return odds / (1.0 + odds)
    return 1.0 / (1.0 + math.exp(log_odds))


def expected_purchases(params: BGNBDParams, t: float, x: int, t_x: float, T: float) -> float:
    """E[number of purchases in (T, T + t] | x, t_x, T] (FHL 2005, eq. 10):

    p_alive * (a + b + x - 1) / (a - 1)
            * [1 - ((alpha + T) / (alpha + T + t))^(r + x) * 2F1(r + x, b + x; a + b + x - 1; z)]
    with z = t / (alpha + T + t). Near a = 1 the formula is 0/0, so there the same expectation is
    computed as the integral it comes from (over the posterior Beta(a, b + x) of p).
    """
    _check_params(params)
    _check_history(x, t_x, T)
    if not (math.isfinite(t) and t >= 0):
        raise ValidationError(_("The forecast horizon must be a number of at least 0, not {value!r}.")
                              .format(value=t), field="t")
    if t == 0:
        return 0.0
    numpy, scipy = _numeric()
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    alive = p_alive(params, x, t_x, T)
    if abs(a - 1.0) >= _NEAR_ONE:
        z = t / (alpha + T + t)
        hyp = float(scipy.special.hyp2f1(r + x, b + x, a + b + x - 1.0, z))
        if math.isfinite(hyp) and hyp > 0:
            log_factor = (r + x) * (math.log(alpha + T) - math.log(alpha + T + t)) + math.log(hyp)
            bracket = -math.expm1(log_factor)
            value = alive * (a + b + x - 1.0) / (a - 1.0) * bracket
            if math.isfinite(value) and value >= 0:
                return value
    return alive * _alive_expectation_by_integral(params, t, x, T)


def _alive_expectation_by_integral(params: BGNBDParams, t: float, x: int, T: float) -> float:
    """E[(1/p) (1 - ((alpha+T)/(alpha+T+p t))^(r+x))] for p ~ Beta(a, b + x): the expected
    purchases of a customer known to be active at T."""
    _numpy, scipy = _numeric()
    import scipy.integrate

    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    shape = r + x
    scale = t / (alpha + T)

    def per_p(p: float) -> float:
        if p <= 0.0:
            return shape * scale
        return -math.expm1(-shape * math.log1p(p * scale)) / p

    # The Beta density's powers go into quad's algebraic weight, which handles a < 1 exactly.
    # The weighted integral can be as small as B(a, b + x), far below quad's default absolute
    # tolerance: ask for relative accuracy only.
    with warnings.catch_warnings():
        # quad warns when round-off stops it short of 1e-10; what it returns is still good to
        # about 1e-8, far finer than a forecast needs, and a person should not see the warning.
        warnings.simplefilter("ignore")
        value, _error = scipy.integrate.quad(per_p, 0.0, 1.0, weight="alg",
                                             wvar=(a - 1.0, b + x - 1.0), limit=200,
                                             epsabs=0.0, epsrel=1e-10)
    return value / math.exp(scipy.special.betaln(a, b + x))


def expected_purchases_new(params: BGNBDParams, t: float) -> float:
    """E[X(t)], the expected number of purchases in ``t`` units by a customer just acquired, not
    counting the first purchase (FHL 2005, eq. 9)."""
    _check_params(params)
    if not (math.isfinite(t) and t >= 0):
        raise ValidationError(_("The forecast horizon must be a number of at least 0, not {value!r}.")
                              .format(value=t), field="t")
    return expected_purchases(params, t, 0, 0.0, 0.0)


def log_likelihood(params: BGNBDParams, histories: Sequence[CustomerHistory]) -> float:
    """The log-likelihood of ``histories`` under ``params`` (FHL 2005, eq. 6, in logs)."""
    numpy, _scipy = _numeric()
    _check_params(params)
    x, t_x, T, weight = _grouped(histories)
    return float(numpy.sum(weight * _log_likelihoods(
        numpy.log([params.r, params.alpha, params.a, params.b]), x, t_x, T)))


def _log_likelihoods(log_params: Any, x: Any, t_x: Any, T: Any) -> Any:
    """Per-history log-likelihood:

    ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b)
           + ln[ (α+T)^-(r+x) + [x>0] a/(b+x-1) (α+t_x)^-(r+x) ]

    with the last term as a log-sum-exp, so that neither power under- or overflows.
    """
    numpy, scipy = _numeric()
    gammaln, betaln = scipy.special.gammaln, scipy.special.betaln
    r, alpha, a, b = numpy.exp(log_params)
    common = (gammaln(r + x) - gammaln(r) + r * numpy.log(alpha)
              + betaln(a, b + x) - betaln(a, b))
    stay = -(r + x) * numpy.log(alpha + T)
    repeat = x > 0
    # For x = 0 the second term is absent; b + x - 1 would be negative there, so guard the log.
    dropped = numpy.where(
        repeat,
        numpy.log(a) - numpy.log(numpy.where(repeat, b + x - 1.0, 1.0))
        - (r + x) * numpy.log(alpha + t_x),
        -numpy.inf)
    return common + numpy.logaddexp(stay, dropped)


def _grouped(histories: Sequence[CustomerHistory]) -> tuple[Any, Any, Any, Any]:
    """Identical (x, t_x, T) histories as one row with a weight: with days or weeks as the unit,
    most customers share their figures with others, and the fit gets that much faster."""
    numpy, _scipy = _numeric()
    counts: dict[tuple[int, float, float], int] = defaultdict(int)
    for h in histories:
        _check_history(h.x, h.t_x, h.T)
        counts[(int(h.x), float(h.t_x), float(h.T))] += 1
    rows = sorted(counts)
    x = numpy.array([row[0] for row in rows], dtype=float)
    t_x = numpy.array([row[1] for row in rows], dtype=float)
    T = numpy.array([row[2] for row in rows], dtype=float)
    weight = numpy.array([counts[row] for row in rows], dtype=float)
    return x, t_x, T, weight


def fit(histories: Sequence[CustomerHistory], *, unit_days: int | None = None) -> BGNBDFit:
    """Fit (r, alpha, a, b) to ``histories`` by maximum likelihood.

    The search runs over the logarithms of the parameters (so they stay positive) with L-BFGS-B
    from two starting points, keeping the better. ``unit_days`` is only recorded in the result, to
    say in which unit alpha (a rate's scale) and the horizons are.
    """
    numpy, scipy = _numeric()
    import scipy.optimize

    histories = list(histories)
    if not histories:
        raise ValidationError(_("There are no customers to fit the forecast to."))
    repeaters = sum(1 for h in histories if h.x > 0)
    if repeaters == 0:
        raise ValidationError(_("None of the {count} customers has bought on more than one day; "
                                "the forecast needs repeat purchases to learn from.")
                              .format(count=len(histories)))
    x, t_x, T, weight = _grouped(histories)
    total = float(weight.sum())

    def objective(log_params: Any) -> float:
        value = -float(numpy.sum(weight * _log_likelihoods(log_params, x, t_x, T))) / total
        return value if math.isfinite(value) else 1e300

    mean_rate = float(numpy.sum(weight * x) / max(numpy.sum(weight * T), 1e-9))
    starts = [numpy.zeros(4),
              numpy.log([1.0, 1.0 / max(mean_rate, 1e-4), 1.0, 3.0])]
    bounds = [(-_LOG_LIMIT, _LOG_LIMIT)] * 4
    best = None
    for start in starts:
        start = numpy.clip(start, -_LOG_LIMIT + 1, _LOG_LIMIT - 1)
        result = scipy.optimize.minimize(objective, start, method="L-BFGS-B", bounds=bounds,
                                         options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9})
        if best is None or result.fun < best.fun:
            best = result
    assert best is not None
    values = numpy.exp(best.x)
    params = BGNBDParams(*(float(v) for v in values))
    notes = []
    names = ("r", "alpha", "a", "b")
    for name, log_value, value in zip(names, best.x, values):
        if abs(log_value) > _LOG_LIMIT - 0.01:
            notes.append(_("The parameter {name} reached the limit of the search ({value:.3g}): "
                           "the purchase history says little about it.")
                         .format(name=name, value=value))
    if repeaters < 20:
        notes.append(_("Only {count} customers have bought more than once: the forecast is "
                       "very uncertain.").format(count=repeaters))
    errors = _standard_errors(objective, best.x, total)
    converged = bool(best.success) and not any(abs(v) > _LOG_LIMIT - 0.01 for v in best.x)
    return BGNBDFit(params=params, standard_errors=errors,
                    log_likelihood=-float(best.fun) * total, customers=len(histories),
                    repeat_customers=repeaters, unit_days=unit_days, converged=converged,
                    notes=tuple(notes))


def _standard_errors(objective: Any, log_params: Any, total: float) -> BGNBDParams | None:
    """Standard errors from the observed information (central-difference Hessian of the
    negative log-likelihood in log-parameters), carried to the parameters by the delta method."""
    numpy, _scipy = _numeric()
    size = len(log_params)
    step = 1e-4
    hessian = numpy.empty((size, size))
    for i in range(size):
        for j in range(i, size):
            def shifted(di: float, dj: float) -> float:
                point = numpy.array(log_params, dtype=float)
                point[i] += di
                point[j] += dj
                return objective(point)

            value = (shifted(step, step) - shifted(step, -step) - shifted(-step, step)
                     + shifted(-step, -step)) / (4 * step * step)
            hessian[i, j] = hessian[j, i] = value * total
    try:
        covariance = numpy.linalg.inv(hessian)
    except numpy.linalg.LinAlgError:
        return None
    variances = numpy.diag(covariance)
    if not numpy.all(numpy.isfinite(variances)) or numpy.any(variances <= 0):
        return None
    errors = numpy.exp(log_params) * numpy.sqrt(variances)
    return BGNBDParams(*(float(e) for e in errors))


def forecast(params: BGNBDParams, histories: Iterable[CustomerHistory],
             horizon: float) -> list[CustomerForecast]:
    """Each customer's expected purchases in the next ``horizon`` units and P(active), in the
    order given. (The report's "next N days" is ``horizon = N / unit_days``.)"""
    return [CustomerForecast(h.customer, h.x, h.t_x, h.T,
                             expected_purchases(params, horizon, h.x, h.t_x, h.T),
                             p_alive(params, h.x, h.t_x, h.T))
            for h in histories]
