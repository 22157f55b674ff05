"""YAML workflows: how a business writes down its own way of working without writing Python.

- :mod:`.model`: a workflow file as data (inputs, steps, triggers) and finding the files;
- :mod:`.schema`: the JSON Schema of a workflow file (``kundkit workflow schema``);
- :mod:`.validate`: schema and semantic problems as ``file:line:col: message``;
- :mod:`.inputs`: the typed inputs (text, number, choice, date, e-mail, phone, org number,
  customer, staff);
- :mod:`.steptypes`: the contract of a step type (the ``uses:`` of a step), for plugins;
- :mod:`.steps`: the built-in step types;
- :mod:`.runs`: runs as stored, with their state after every step (table ``workflow_runs``);
- :mod:`.engine`: running, waiting, resuming and cancelling; :mod:`.batch`: one run per CSV row;
- :mod:`.events`: workflows started by ``customer.created``, ``purchase.recorded`` and
  ``feedback.received``.
"""
