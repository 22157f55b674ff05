"""The plugin contract: the markers and every hook kundkit calls. Nothing else lives here.

Every hook is called with keyword arguments only, so a hook may gain arguments later without
breaking plugins; an implementation may accept any subset of the arguments. Each hook is documented,
with an example, in ``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from kundkit.context import Context
    from kundkit.store import Transaction

hookspec = pluggy.HookspecMarker("kundkit")
hookimpl = pluggy.HookimplMarker("kundkit")

Register = Callable[[Any], None]


@hookspec
def register_channels(register: Register) -> None:
    """Register channels to customers (e-mail, SMS, letters, ...).

    :param register: call ``register(channel)`` once per channel; ``channel.name`` must be unique.
    """


@hookspec
def register_discount_policies(register: Register) -> None:
    """Register discount policies (cumulative, volume, ...).

    :param register: call ``register(policy)`` once per policy; ``policy.name`` must be unique.
    """


@hookspec
def register_incentive_schemes(register: Register) -> None:
    """Register incentive schemes (commission, bonus, gift, recognition, ...).

    :param register: call ``register(scheme)`` once per scheme; ``scheme.name`` must be unique.
    """


@hookspec
def register_step_types(register: Register) -> None:
    """Register workflow step types (the ``uses:`` of a workflow step).

    :param register: call ``register(step_type)`` once per step type; ``step_type.name`` must be
        unique.
    """


@hookspec
def register_standard_kinds(register: Register) -> None:
    """Register kinds of service-standard documents, each with its JSON Schema.

    :param register: call ``register(kind)`` once per kind; ``kind.name`` must be unique.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands or command groups to the ``kundkit`` command line.

    :param cli: the root ``kundkit`` group; call ``cli.add_command(...)`` or use ``@cli.command()``.
    """


@hookspec
def config_schema() -> dict[str, dict[str, Any]] | None:
    """Contribute the JSON Schema of the plugin's own section(s) of ``kundkit.yaml``.

    :return: a mapping of top-level section name to its JSON Schema; kundkit validates that section
        against it and reports problems as ``kundkit.yaml:LINE:COL: message``.
    """


@hookspec
def check_config(config: Any) -> list[Any] | None:
    """Semantic checks of ``kundkit.yaml`` beyond its schema (e.g. a forbidden gift category).

    :param config: the parsed :class:`kundkit.config.Config`; use ``config.problem(path, message)``
        to make a located problem.
    :return: a list of :class:`kundkit.errors.Problem`, or None when all is well.
    """


@hookspec
def store_references() -> list[tuple[str, str, str]] | None:
    """Declare references between tables, for ``kundkit db check``.

    :return: ``(table, field, target_table)`` triples: every non-empty ``field`` of a record in
        ``table`` (or every item, when the field holds a list) must be the ``id`` of a record in
        ``target_table``.
    """


@hookspec
def customer_created(ctx: Context, customer: dict[str, Any]) -> None:
    """A customer was registered (called after the change is committed to the store).

    :param ctx: the running kundkit context (configuration, store, plugins, clock).
    :param customer: the new customer record, as ``customer show --format json`` gives it.
    """


@hookspec
def purchase_recorded(ctx: Context, purchase: dict[str, Any]) -> None:
    """A purchase was recorded (called after the change is committed to the store).

    :param ctx: the running kundkit context.
    :param purchase: the purchase record, as ``purchase show --format json`` gives it.
    """


@hookspec
def feedback_received(ctx: Context, feedback: dict[str, Any]) -> None:
    """A complaint, claim, suggestion or comment was registered (after the commit).

    :param ctx: the running kundkit context.
    :param feedback: the feedback record, as ``feedback show --format json`` gives it.
    """


@hookspec
def customer_summary(ctx: Context, tx: Transaction, customer: dict[str, Any]) -> dict[str, Any] | None:
    """Add a section to ``customer show`` (purchases, feedback, discount standing, ...).

    Keep it cheap: ``customer show`` must stay fast on a large register, so look records up by
    index or partition rather than scanning a whole big table.

    :param ctx: the running kundkit context.
    :param tx: the open read transaction; use ``tx.table(...)`` / ``tx.raw(...)``, never write.
    :param customer: the customer record.
    :return: a mapping of section name (e.g. ``"purchases"``) to a JSON-able value, added to the
        ``customer show --format json`` object; None when the plugin has nothing to add.
    """


@hookspec
def customer_data(ctx: Context, tx: Transaction, customer_id: str) -> dict[str, Any] | None:
    """Everything the plugin's own tables hold about one customer, for ``customer data ID`` (the
    right of access and portability).

    :param ctx: the running kundkit context.
    :param tx: the open transaction.
    :param customer_id: the customer's id (``K1042``).
    :return: a mapping of table name to the records about the customer (a list), as stored; the
        answers of all plugins are merged into one JSON object. None when there is nothing.
    """


@hookspec
def forget_customer(ctx: Context, tx: Transaction, customer_id: str, pseudonym: str,
                    customer: dict[str, Any]) -> dict[str, int] | None:
    """Erase or anonymise a customer's personal data in the plugin's own tables (``customer
    forget ID``), in the caller's transaction.

    Delete what has no other purpose (free-text notes, message bodies); keep what the books need
    (purchases, invoices) under ``pseudonym`` instead of the person's name. Afterwards kundkit
    sweeps every store file for what is left of the name, numbers, e-mail and phone, and records
    the erasure in the audit log.

    :param ctx: the running kundkit context.
    :param tx: the open write transaction; change records with ``tx.table(...)``.
    :param customer_id: the customer's id (``K1042``); it stays, pointing to an erased record.
    :param pseudonym: the text that stands for the person from now on (``anon-3f9c1a2b``).
    :param customer: the customer record as it was before the erasure (to find the person's
        name or number in free text; :func:`kundkit.privacy.personal_needles` and
        :func:`kundkit.privacy.scrub` do that).
    :return: a mapping of table name to the number of records changed, or None.
    """
