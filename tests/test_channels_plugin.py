"""A channel from a plugin: the complete example of docs/plugins.md, loaded from the business's
own plugins folder, sends a send-out like a built-in channel; a duplicate name is refused."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from channels_support import context, interactions, populate, set_section

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def example_plugin() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### register_channels", 1)[1].split("\n### ", 1)[0]
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
                if "@hookimpl" in b]
    return block


@pytest.fixture
def postcard(business: Path) -> Path:
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "postcard.py").write_text(example_plugin(), encoding="utf-8")
    set_section(business, "plugins", ["plugins/postcard.py"])
    set_section(business, "postcard", {"folder": "print-shop"})
    set_section(business, "channels", {"order": ["outbox", "postcard", "phone"],
                                       "templates": "templates"})
    populate(business)
    return business


def test_the_documented_postcard_plugin_sends_a_send_out(kk, postcard: Path) -> None:
    listing = {r["name"]: r for r in json.loads(kk("channel", "list", "--format", "json").stdout)}
    assert listing["postcard"]["plugin"] == "postcard"
    assert (listing["postcard"]["consent"], listing["postcard"]["order"]) == ("post", 2)

    kk("news", "send", "--template", "news/december", "--segment", "privat")
    with (postcard / "print-shop" / "postcards-S1001.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    # Lars (no e-mail) and Karin (no e-mail consent) by postcard; the others by e-mail.
    assert [r[:3] for r in rows] == [["K1003", "Lars Nilsson", "Gamla Tuna 3 / 733 92 Sala"],
                                     ["K1004", "Karin Öhman", "Ekbacken 2 / 732 30 Arboga"]]
    assert rows[0][4].rstrip().endswith("Svara STOPP eller mejla kundtjanst@nordbygg.example.")
    by_id = {r["customer"]: r for r in interactions(postcard)}
    assert (by_id["K1003"]["channel"], by_id["K1003"]["status"]) == ("postcard", "sent")

    kk("news", "send", "--template", "news/december", "--segment", "privat")
    with (postcard / "print-shop" / "postcards-S1001.csv").open(encoding="utf-8") as fh:
        assert len(list(csv.reader(fh))) == 2  # the re-run sent nobody a second card


def test_a_plugin_channel_without_its_section_is_not_used(postcard: Path) -> None:
    from kundkit.channels.routing import channel_order

    set_section(postcard, "postcard", None)
    set_section(postcard, "channels", None)
    assert "postcard" not in [c.name for c in channel_order(context(postcard))]


def test_two_channels_with_one_name_are_refused_naming_both_plugins(kk, postcard: Path) -> None:
    (postcard / "plugins" / "other.py").write_text(example_plugin().replace(
        "def config_schema", "def _unused_config_schema"), encoding="utf-8")
    set_section(postcard, "plugins", ["plugins/postcard.py", "plugins/other.py"])
    result = kk("channel", "list", code=1)
    assert "two plugins register the channel 'postcard': 'postcard' and 'other'" in result.stderr
