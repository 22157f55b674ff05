"""The owner's reports: one module per report, each a function from the store to plain figures.

- ``customers``: the economics of each customer relationship (revenue, margin, discounts, the cost
  of serving, net contribution, the year-over-year trend, RFM scores).
- ``plan``: the organisation's and each seller's sales, weighted sales, attainment and contribution
  to the plan, and the key products' share.
- ``forecast``: each customer's expected purchases and probability of still being active (BG/NBD).
- ``followups``: key-product sales and whether their consultation was done in time.
- ``feedback``: how many complaints and suggestions came in, how fast they were answered.
- ``trends``: what each segment is starting to buy and to complain about.
- ``dashboard``: every report at once, for one page.
- ``html``: the same figures as self-contained HTML pages, and the dashboard of them all.

Shared by them: ``common`` (the window, the filters, exact amounts in öre, the scan of purchases),
``settings`` (the ``reports:`` section of kundkit.yaml), ``format`` and ``labels`` (how figures and
words read, the same in a terminal and on a page).

Every report takes a :class:`~kundkit.reports.common.Window` (the period) and
:class:`~kundkit.reports.common.Filters` (segment, manager) and returns a dataclass whose
``as_dict()`` is the stable JSON form (money as decimal strings, ratios as strings with four
decimals). Nothing here imports click or prints.
"""
