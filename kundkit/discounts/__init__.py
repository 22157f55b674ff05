"""Discount policies: the contract (:mod:`kundkit.discounts.model`), the built-in policies
(cumulative, volume, segment, points) and the engine that combines their offers.

A plugin writes a policy against the names exported here::

    from kundkit.discounts import Offer
"""

from kundkit.discounts.model import History, Offer, Order, OrderLine, Standing, pct_str, show_money

__all__ = ["History", "Offer", "Order", "OrderLine", "Standing", "pct_str", "show_money"]
