"""Incentive schemes: the contract (:mod:`kundkit.incentives.model`), the built-in schemes
(commission, plan bonus, gift, recognition), the settings in ``kundkit.yaml`` and the monthly run
that proposes, approves and locks rewards (:mod:`kundkit.incentives.run`).

A plugin writes a scheme against the names exported here::

    from kundkit.incentives import Reward
"""

from kundkit.incentives.model import Gift, Reward, number
from kundkit.incentives.text import show_money, show_percent, show_ratio

__all__ = ["Gift", "Reward", "number", "show_money", "show_percent", "show_ratio"]
