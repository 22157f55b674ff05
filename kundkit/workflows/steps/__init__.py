"""The built-in step types, registered by the built-in plugin ``kundkit.plugins.workflows`` through
``register_step_types`` like any plugin's.

- :mod:`.flow`: ``ask``, ``set``, ``wait``, ``end``, ``fail``;
- :mod:`.customers`: ``customer.find``, ``customer.create``, ``customer.update``,
  ``customer.assign-manager``;
- :mod:`.records`: ``purchase.record``, ``purchase.follow-up``, ``feedback.create``,
  ``feedback.update``, ``task.create``;
- :mod:`.messages`: ``channel.send``.
"""

from __future__ import annotations

from typing import Any


def builtin_step_types() -> list[Any]:
    from kundkit.workflows.steps.customers import (AssignManager, CreateCustomer, FindCustomer,
                                                   UpdateCustomer)
    from kundkit.workflows.steps.flow import Ask, EndStep, FailStep, SetVariables, WaitStep
    from kundkit.workflows.steps.messages import SendMessage
    from kundkit.workflows.steps.records import (CreateFeedback, CreateTask, FollowUpPurchase,
                                                 RecordPurchase, UpdateFeedback)

    return [Ask(), SetVariables(), WaitStep(), EndStep(), FailStep(), FindCustomer(),
            CreateCustomer(), UpdateCustomer(), AssignManager(), RecordPurchase(),
            FollowUpPurchase(), CreateFeedback(), UpdateFeedback(), CreateTask(), SendMessage()]
