"""Likely duplicates among customer names."""

import pytest

from kundkit.identity import name_similarity


@pytest.mark.parametrize("a, b", [
    ("Bygg AB Nilsson", "Nilsson Bygg AB"),
    ("Nilsson Bygg AB", "nilsson   bygg"),
    ("Nilsson Bygg AB", "Nilsson Bygg Aktiebolag"),
    ("Åkesson & Söner HB", "Akesson och Soner"),
    ("Café Ängel KB", "CAFE ANGEL"),
    ("Acme Ltd", "ACME Inc."),
    ("Smørrebrød ApS", "Smorrebrod"),
    ("Nilsson Bygg AB (publ)", "Nilsson Bygg"),
])
def test_the_same_customer_written_differently_scores_one(a, b):
    assert name_similarity(a, b) == 1.0


@pytest.mark.parametrize("a, b", [
    ("Nilsson Bygg AB", "Nilson Bygg"),
    ("Karlssons Måleri AB", "Karlsson Måleri"),
    ("Svenssons Elektriska", "Svensons Elektriska HB"),
])
def test_misspellings_score_as_likely_duplicates(a, b):
    assert name_similarity(a, b) >= 0.85


@pytest.mark.parametrize("a, b", [
    ("Nilsson Bygg AB", "Volvo Personvagnar AB"),
    ("ICA Maxi", "IKEA"),
    ("Nilsson Bygg", "Nilsson Bygg och Fastighetsförvaltning Stockholm"),
    ("Nilsson Bygg", "Karlsson Måleri"),
])
def test_different_customers_score_low(a, b):
    assert name_similarity(a, b) < 0.75


def test_a_shared_legal_form_alone_is_not_similarity():
    assert name_similarity("Alfa AB", "Omega AB") < 0.5


def test_scores_are_symmetric_and_in_range():
    names = ["Nilsson Bygg AB", "Bygg Nilsson", "Åkesson HB", "Acme Ltd", "AB", "", "Ek Bygg"]
    for a in names:
        for b in names:
            score = name_similarity(a, b)
            assert 0.0 <= score <= 1.0
            assert score == name_similarity(b, a)
        assert name_similarity(a, a) == 1.0


def test_an_empty_name_matches_nothing():
    assert name_similarity("", "Nilsson Bygg") == 0.0


def test_a_name_made_only_of_legal_words_is_kept():
    assert name_similarity("AB", "AB") == 1.0
    assert name_similarity("AB & Co", "HB") < 1.0
