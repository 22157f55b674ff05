"""The ``letter`` channel: printable letters and brochures, one PDF per send-out (``letter:`` in
kundkit.yaml), one letter of a page or more per customer, addressed for a window envelope.

The letters are held back until the send-out ends and then written as one file, so that the
office prints one document. A marketing letter ends with the business's opt-out text, like an
e-mail.
"""

from __future__ import annotations

from dataclasses import replace

from kundkit.channels.contract import Channel, ChannelRun, ChannelSession
from kundkit.errors import DeliveryError, ValidationError
from kundkit.i18n import _
from kundkit.messaging.models import Delivery, Message, Recipient, text_with_opt_out

DEFAULT_FOLDER = "letters"


class LetterChannel(Channel):
    name = "letter"
    consent = "post"
    needs = "address"
    description = "Printed letters: one PDF per send-out, addressed for a window envelope"

    def open(self, run: ChannelRun) -> ChannelSession:
        return _LetterSession(self, run)


class _LetterSession(ChannelSession):
    def __init__(self, channel: LetterChannel, run: ChannelRun) -> None:
        from kundkit.messaging.letter import LetterSettings

        self.channel = channel
        self.run = run
        section = run.section("letter")
        self.settings = LetterSettings.from_config(section, business=run.business)
        self.folder = run.resolve(str(section.get("folder") or DEFAULT_FOLDER))
        self.letters: list[tuple[Recipient, Message]] = []

    def send(self, message: Message, recipient: Recipient) -> None:
        if message.marketing:
            message = replace(message, text=text_with_opt_out(message), marketing=False)
        self.letters.append((recipient, message))
        return None

    def close(self) -> dict[str, Delivery]:
        from kundkit.messaging.letter import write_letters

        letters, self.letters = self.letters, []
        if not letters:
            return {}
        now, name = self.run.now, self.channel.name
        batch_id = self.run.sendout or letters[0][0].customer_id
        try:
            batch = write_letters(letters, self.settings, self.folder, batch_id=batch_id, now=now,
                                  title=letters[0][1].subject)
        except DeliveryError as exc:
            return {r.customer_id: Delivery("failed", name, now, detail=str(exc))
                    for r, _m in letters}
        except ValidationError as exc:  # none of them could be addressed
            return {r.customer_id: Delivery("skipped", name, now, detail=str(exc))
                    for r, _m in letters}
        assert batch.path is not None
        out = {customer: Delivery("skipped", name, now, detail=why)
               for customer, why in batch.skipped}
        shown = self.run.shown(batch.path)
        for placed in batch.letters:
            detail = _("{file}, page {page}").format(file=shown, page=placed.first_page)
            if placed.replaced:
                detail += " " + _("(could not print: {chars})").format(chars=placed.replaced)
            out[placed.customer_id] = Delivery(
                "sent", name, now, detail=detail,
                provider_id=f"{shown}#page={placed.first_page}")
        return out

    def abort(self) -> None:
        self.letters = []
