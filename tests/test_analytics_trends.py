"""Trend detection: the exact test, a planted rise is flagged, noise is not (at a stated rate),
and rising words in Swedish and English feedback.

Stated false-positive rates: at alpha = 0.05 without correction, at most 5% of 2,000 steady
(Poisson) series are flagged; with Benjamini-Hochberg over 50 steady categories, at most 5% of
400 simulated reports flag anything at all.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date
from fractions import Fraction

import pytest

from kundkit.analytics.trends import (Period, adjust_p_values, binomial_upper_tail,
                                      count_per_period, day_periods, find_trends, month_periods,
                                      poisson_rate_test, rising_terms, terms, tokenise)
from kundkit.errors import ValidationError

ALPHA = 0.05


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's multiplication method; fine for the small means used here."""
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def exact_upper_tail(k: int, n: int, p: Fraction) -> Fraction:
    return sum((math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1)),
               Fraction(0))


@pytest.mark.parametrize("k,n,p", [(0, 5, Fraction(1, 3)), (1, 1, Fraction(1, 2)),
                                   (3, 3, Fraction(1, 7)), (5, 10, Fraction(1, 10)),
                                   (2, 40, Fraction(1, 6)), (15, 40, Fraction(1, 6)),
                                   (40, 40, Fraction(1, 6)), (60, 100, Fraction(1, 2)),
                                   (7, 300, Fraction(1, 12)), (41, 300, Fraction(1, 12))])
def test_binomial_tail_matches_exact_fractions(k, n, p):
    assert binomial_upper_tail(k, n, float(p)) == pytest.approx(float(exact_upper_tail(k, n, p)),
                                                                rel=1e-12, abs=1e-300)


def test_binomial_tail_far_out_and_huge_n():
    assert binomial_upper_tail(900, 1000, 0.5) == pytest.approx(6.7017177900e-162, rel=1e-9)
    assert binomial_upper_tail(1, 100_000, 0.5) == 1.0
    assert binomial_upper_tail(11, 10, 0.5) == 0.0


def test_rate_test_by_hand():
    # 15 in the latest month against 14 in the four before: p = 1/5, P(X >= 15 | n = 29).
    test = poisson_rate_test(15, 14, latest_exposure=1, history_exposure=4)
    assert test.p_value == pytest.approx(float(exact_upper_tail(15, 29, Fraction(1, 5))))
    assert test.expected == pytest.approx(3.5)
    assert test.rate_ratio == pytest.approx(15 / 3.5)
    assert poisson_rate_test(6, 0).rate_ratio is None


def test_a_planted_rise_is_flagged_with_its_evidence():
    series = {"leverans": [4, 6, 5, 3, 5, 16], "faktura": [5, 4, 6, 5, 4, 5]}
    periods = month_periods(date(2024, 6, 15), 6)
    report = find_trends(series, periods=periods, exposures=[1] * 6)
    assert [t.key for t in report.flagged] == ["leverans"]
    trend = report.flagged[0]
    assert trend.counts == (4, 6, 5, 3, 5, 16)
    assert trend.rate_ratio == pytest.approx(16 / (23 / 5))
    assert trend.p_value == pytest.approx(float(exact_upper_tail(16, 39, Fraction(1, 6))))
    assert trend.p_value < 1e-3
    assert trend.evidence() == ("2024-01: 4, 2024-02: 6, 2024-03: 5, 2024-04: 3, 2024-05: 5, "
                                "2024-06: 16")
    assert report.tested == 2
    assert "Poisson" in report.method and "Benjamini" in report.method
    json.dumps(trend.as_dict(), allow_nan=False)


def test_a_planted_rise_among_fifty_noisy_categories_is_found_first():
    rng = random.Random(21)
    series = {f"category {i}": [poisson(rng, 6.0) for _ in range(12)] for i in range(50)}
    series["planted"] = [poisson(rng, 6.0) for _ in range(11)] + [20]
    report = find_trends(series, alpha=ALPHA, correction="bh")
    assert report.flagged and report.flagged[0].key == "planted"
    assert report.flagged[0].adjusted_p <= ALPHA


def test_noise_is_flagged_at_most_at_the_stated_rate():
    rng = random.Random(1)
    flagged = 0
    runs = 2000
    for run in range(runs):
        mean = rng.uniform(3.0, 30.0)
        counts = [poisson(rng, mean) for _ in range(7)]
        report = find_trends({"steady": counts}, alpha=ALPHA, correction="none")
        flagged += len(report.flagged)
    assert flagged / runs <= ALPHA
    assert flagged > 0  # the test is not so timid that it never fires


def test_benjamini_hochberg_keeps_whole_reports_of_noise_clean():
    rng = random.Random(2)
    reports = 400
    noisy = 0
    for _ in range(reports):
        means = [rng.uniform(4, 12) for _ in range(50)]
        series = {i: [poisson(rng, mean) for _ in range(6)] for i, mean in enumerate(means)}
        noisy += bool(find_trends(series, alpha=ALPHA, correction="bh").flagged)
    assert noisy / reports <= ALPHA


def test_the_minimum_count_and_the_direction():
    # 0,0,0,0,3 is improbable under a steady rate but too small to report.
    report = find_trends({"tiny": [0, 0, 0, 0, 3], "falling": [20, 22, 19, 21, 2]},
                         min_count=5, correction="none")
    assert report.flagged == []
    assert [t.key for t in report.results] == ["falling"]  # "tiny" has 3 < 5 in all: untested
    report = find_trends({"tiny": [0, 0, 0, 0, 3]}, min_count=3, correction="none")
    assert report.flagged[0].is_new and report.flagged[0].rate_ratio is None


def test_new_categories_come_first_then_by_rate_ratio():
    series = {"double": [10, 10, 10, 10, 20], "triple": [5, 5, 5, 5, 15], "new": [0, 0, 0, 0, 8],
              "steady": [10, 10, 10, 10, 10]}
    report = find_trends(series, correction="none")
    assert [t.key for t in report.flagged] == ["new", "triple", "double"]
    json.dumps([t.as_dict() for t in report.results], allow_nan=False)


def test_periods_of_different_lengths_are_compared_per_day():
    # A steady 1 per day: 31 in January, 29 in February 2024, 31 in March, 30 in April.
    periods = month_periods(date(2024, 4, 1), 4)
    assert [p.days for p in periods] == [31, 29, 31, 30]
    steady = find_trends({"k": [31, 29, 31, 30]}, periods=periods, correction="none")
    assert steady.results[0].rate_ratio == pytest.approx(1.0)
    assert steady.flagged == []


def test_corrections_by_hand():
    p = [0.01, 0.04, 0.03, 0.20]
    assert adjust_p_values(p, "none") == p
    assert adjust_p_values(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.80])
    # BH: sorted 0.01 0.03 0.04 0.20 times 4/1 4/2 4/3 4/4, then running minimum from the top.
    assert adjust_p_values(p, "bh") == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20])


def test_month_and_day_periods():
    months = month_periods(date(2024, 2, 10), 3)
    assert [(p.label, p.start, p.end) for p in months] == [
        ("2023-12", date(2023, 12, 1), date(2024, 1, 1)),
        ("2024-01", date(2024, 1, 1), date(2024, 2, 1)),
        ("2024-02", date(2024, 2, 1), date(2024, 3, 1))]
    weeks = day_periods(date(2024, 3, 1), 7, 2)
    assert [(p.start, p.end) for p in weeks] == [(date(2024, 2, 16), date(2024, 2, 23)),
                                                 (date(2024, 2, 23), date(2024, 3, 1))]
    assert weeks[1].label == "2024-02-23–2024-02-29"


def test_count_per_period_uses_half_open_periods():
    periods = month_periods(date(2024, 2, 1), 2)
    events = [("a", date(2024, 1, 1)), ("a", date(2024, 1, 31)), ("a", date(2024, 2, 1)),
              ("b", date(2024, 2, 29)), ("b", date(2024, 3, 1)), ("c", date(2023, 12, 31))]
    assert count_per_period(events, periods) == {"a": [2, 1], "b": [0, 1]}


def test_bad_input_is_refused_with_its_field():
    with pytest.raises(ValidationError):
        find_trends({"a": [1, 2, 3], "b": [1, 2]})
    with pytest.raises(ValidationError) as error:
        find_trends({"a": [1, 2]}, correction="holm")
    assert error.value.field == "correction"
    with pytest.raises(ValidationError) as error:
        find_trends({"a": [1, 2]}, alpha=1.5)
    assert error.value.field == "alpha"
    with pytest.raises(ValidationError) as error:
        poisson_rate_test(-1, 3)
    assert error.value.field == "latest"
    gap = [Period(date(2024, 1, 1), date(2024, 2, 1), "jan"),
           Period(date(2024, 3, 1), date(2024, 4, 1), "mar")]
    with pytest.raises(ValidationError, match="jan.*mar"):
        count_per_period([], gap)
    with pytest.raises(ValidationError):
        month_periods(date(2024, 1, 1), 1)


def test_tokenise_drops_stop_words_of_both_languages():
    clauses = tokenise("Hej! Leveransen var sen och paketet är trasigt. "
                       "The delivery was late, I don’t like it – 3 days!")
    assert clauses == [["leveransen", "sen", "paketet", "trasigt"], ["delivery", "late"], ["days"]]
    assert tokenise("Åtgärda fakturan; smörgåsbord") == [["åtgärda", "fakturan"], ["smörgåsbord"]]


def test_terms_are_words_and_two_word_phrases_within_a_clause():
    assert terms("Leveransen var sen. Paketet trasigt") == {
        "leveransen", "sen", "leveransen sen", "paketet", "trasigt", "paketet trasigt"}
    assert "sen paketet" not in terms("Leveransen var sen. Paketet trasigt")
    assert terms("slow slow slow", bigrams=True) == {"slow"}
    assert terms("slow delivery", bigrams=False) == {"slow", "delivery"}


def test_rising_phrases_in_feedback():
    periods = month_periods(date(2024, 6, 1), 6)
    rng = random.Random(4)
    background = ["Bra service, tack!", "Fakturan kom i tid", "Great support team",
                  "Priset är högt", "Personalen var trevlig", "Slow website today"]
    texts = []
    for period in periods:
        for _ in range(30):
            texts.append((rng.choice(background), period.start))
    # The latest month: a new complaint, in both languages, once per text.
    for _ in range(9):
        texts.append(("Leveransen var sen, leveransen var sen igen!", periods[-1].start))
    for _ in range(4):
        texts.append(("The delivery was late again", periods[-1].start))
    report = rising_terms(texts, periods, min_count=3)
    keys = [t.key for t in report.flagged]
    assert "leveransen sen" in keys and "leveransen" in keys and "delivery late" in keys
    found = {t.key: t for t in report.flagged}
    assert found["leveransen sen"].counts == (0, 0, 0, 0, 0, 9)  # texts, not repetitions
    assert not {"var", "was", "the", "igen", "again", "tack"} & set(keys)
    assert not any(k in keys for k in ("fakturan", "service", "support"))
