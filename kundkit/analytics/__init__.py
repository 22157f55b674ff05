"""The numeric and picture core of kundkit's reports.

Pure functions over plain lists, dicts and dataclasses; nothing here opens the store. The report
commands gather the figures and hand them to these modules:

- ``stats``: median and percentiles of numbers, ``Decimal`` amounts and durations.
- ``rfm``: recency, frequency and monetary scores 1-5 by quintiles.
- ``trends``: categories and words whose count in the latest period rises above their own history.
- ``bgnbd``: the BG/NBD forecast of each customer's future purchases (needs ``kundkit[forecast]``).
- ``charts``: terminal bars and sparklines, and inline SVG charts for self-contained HTML.
"""
