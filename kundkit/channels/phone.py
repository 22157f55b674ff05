"""The ``phone`` channel: a call list for staff.

Nothing leaves kundkit: each customer is put on the send-out's call list (``kundkit contact
calls``) with the number, the permanent manager and what to say, and the call is recorded
afterwards with ``kundkit contact log CUSTOMER --channel phone --note ...``.
"""

from __future__ import annotations

from typing import ClassVar

from kundkit.channels.contract import Channel, ChannelRun
from kundkit.i18n import _
from kundkit.messaging.models import Delivery, Message, Recipient


class PhoneChannel(Channel):
    name = "phone"
    consent = "phone"
    needs = "phone"
    description = "A call list for staff: customer, number, manager and what to say"
    keeps_text: ClassVar[bool] = True  # the call list shows what to say

    def send(self, message: Message, recipient: Recipient, run: ChannelRun) -> Delivery:
        return Delivery("sent", self.name, run.now, detail=_("on the call list"))
