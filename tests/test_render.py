"""The block builder keeps every answer within Slack's limits; the template environment is
sandboxed, strict and escapes mrkdwn."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from slack_sdk.models.blocks import Block

from bot.render import LIMITS, BlockBuilder, Renderer, escape_mrkdwn, unescape_mrkdwn

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def renderer():
    return Renderer(REPO / "responses")


def validate(blocks):
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None
        block.validate_json()


def words(text):
    return text.split()


def build(*calls):
    builder = BlockBuilder()
    for method, *args in calls:
        assert getattr(builder, method)(*args) == ""  # usable from {% do %}
    return builder.build()


# -- sections --------------------------------------------------------------------------------


def test_short_section_is_one_block():
    blocks, text = build(("section", "Hello *world*"))
    assert blocks == ({"type": "section", "text": {"type": "mrkdwn", "text": "Hello *world*"}},)
    assert text == "Hello *world*"


def test_long_section_is_split_without_losing_text():
    body = "\n".join(f"• point {i} " + "word " * 40 for i in range(100))
    assert len(body) > 3 * LIMITS["section_text"]
    blocks, text = build(("section", body))
    assert len(blocks) >= 4
    pieces = [b["text"]["text"] for b in blocks]
    assert all(b["type"] == "section" for b in blocks)
    assert all(0 < len(p) <= LIMITS["section_text"] for p in pieces)
    assert words(" ".join(pieces)) == words(body)
    assert words(text) == words(body)
    validate(blocks)


def test_long_single_line_is_split_at_spaces():
    body = " ".join(f"w{i}" for i in range(3000))
    assert "\n" not in body
    assert len(body) > LIMITS["section_text"]
    blocks, _ = build(("section", body))
    pieces = [b["text"]["text"] for b in blocks]
    assert len(pieces) >= 2
    assert all(len(p) <= LIMITS["section_text"] for p in pieces)
    assert words(" ".join(pieces)) == words(body)  # no word cut in half
    validate(blocks)


def test_single_huge_word_is_split_too():
    word = "x" * 10_000
    blocks, _ = build(("section", word))
    pieces = [b["text"]["text"] for b in blocks]
    assert len(pieces) == 4
    assert all(len(p) <= LIMITS["section_text"] for p in pieces)
    assert "".join(pieces) == word
    validate(blocks)


def test_section_exactly_at_the_limit_is_one_block():
    body = "y" * LIMITS["section_text"]
    blocks, _ = build(("section", body))
    assert [b["text"]["text"] for b in blocks] == [body]


def test_blank_section_adds_nothing():
    blocks, text = build(("section", "  \n \n"), ("section", "real"))
    assert [b["text"]["text"] for b in blocks] == ["real"]
    assert text == "real"


# -- headers, contexts, buttons --------------------------------------------------------------


def test_long_header_is_clipped_with_ellipsis():
    blocks, text = build(("header", "H" * 400))
    header = blocks[0]["text"]["text"]
    assert len(header) == LIMITS["header_text"]
    assert header.endswith("…")
    assert header[:-1] == "H" * (LIMITS["header_text"] - 1)
    assert blocks[0]["text"]["type"] == "plain_text"
    assert text.startswith("*H")
    validate(blocks)


def test_header_is_plain_text_unescaped_and_fallback_is_escaped():
    blocks, text = build(("header", "AE &amp; AM &lt;b&gt;"))
    assert blocks[0]["text"]["text"] == "AE & AM <b>"
    assert text == "*AE &amp; AM &lt;b&gt;*"


def test_empty_header_adds_nothing():
    blocks, _ = build(("header", "   "), ("section", "x"))
    assert [b["type"] for b in blocks] == ["section"]


def test_long_context_is_clipped():
    blocks, _ = build(("context", "c" * 5000))
    assert len(blocks[0]["elements"][0]["text"]) == LIMITS["context_text"]
    validate(blocks)


def test_button_label_is_clipped_to_75():
    blocks, _ = build(("button", "L" * 200, "v"), ("actions",))
    label = blocks[0]["elements"][0]["text"]["text"]
    assert len(label) == LIMITS["button_text"]
    assert label.endswith("…")
    validate(blocks)


def test_button_label_is_unescaped_plain_text():
    blocks, _ = build(("button", "AE &amp; AM", "v"), ("actions",))
    assert blocks[0]["elements"][0]["text"] == {"type": "plain_text", "text": "AE & AM"}


def test_button_with_oversized_value_is_dropped():
    blocks, _ = build(("button", "ok", "v"), ("button", "too big", "x" * 2001), ("actions",))
    assert [e["text"]["text"] for e in blocks[0]["elements"]] == ["ok"]


def test_buttons_are_grouped_with_unique_ids_and_capped():
    calls = [("button", f"b{i}", f"v{i}") for i in range(30)]
    blocks, _ = build(*calls, ("actions", "Also ask: stuff"))
    assert len(blocks) == 1
    elements = blocks[0]["elements"]
    assert len(elements) == LIMITS["actions_elements"]
    ids = [e["action_id"] for e in elements]
    assert len(set(ids)) == len(ids)
    validate(blocks)


def test_pending_buttons_are_closed_by_build_and_fallback_kept():
    builder = BlockBuilder()
    builder.section("hi")
    builder.button("Go", "v", "go")
    builder.actions("Also ask")
    blocks, text = builder.build()
    assert blocks[-1] == {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Go"},
                "value": "v",
                "action_id": "go",
            }
        ],
    }
    assert text == "hi\n\nAlso ask: Go"
    # A label is plain text in its button and escaped once in the mrkdwn fallback.
    builder = BlockBuilder()
    builder.button("S&M &amp; <b>", "v")
    builder.actions("Also ask")
    blocks, text = builder.build()
    assert blocks[0]["elements"][0]["text"]["text"] == "S&M & <b>"
    assert text == "Also ask: S&amp;M &amp; &lt;b&gt;"
    builder = BlockBuilder()
    builder.button("Go", "v")
    blocks, _ = builder.build()
    assert blocks[0]["type"] == "actions"


def test_actions_without_buttons_adds_nothing():
    blocks, text = build(("actions", "fallback"), ("section", "x"))
    assert [b["type"] for b in blocks] == ["section"]
    assert "fallback" not in text


# -- rows and block count ----------------------------------------------------------------------


def test_row_is_a_section_with_fields():
    blocks, text = build(("row", "*Metrics*", ["*AE:* quota", "*AM:* retention"]))
    assert blocks[0]["text"]["text"] == "*Metrics*"
    assert [f["text"] for f in blocks[0]["fields"]] == ["*AE:* quota", "*AM:* retention"]
    assert "• *AE:* quota" in text
    validate(blocks)


def test_row_with_more_than_ten_cells_makes_several_sections():
    cells = [f"cell {i}" for i in range(23)]
    blocks, _ = build(("row", "*Title*", cells))
    assert len(blocks) == 3
    assert [len(b["fields"]) for b in blocks] == [10, 10, 3]
    assert "text" in blocks[0]
    assert all("text" not in b for b in blocks[1:])
    assert [f["text"] for b in blocks for f in b["fields"]] == cells
    validate(blocks)


def test_row_cells_are_clipped_and_never_empty():
    blocks, _ = build(("row", "", ["z" * 5000, "", "ok"]))
    fields = [f["text"] for f in blocks[0]["fields"]]
    assert len(fields[0]) == LIMITS["field_text"]
    assert fields[0].endswith("…")
    assert fields[1].strip() == ""  # a placeholder, Slack rejects empty text
    assert len(fields[1]) >= 1
    assert "text" not in blocks[0]
    validate(blocks)


def test_more_than_fifty_blocks_are_capped_with_a_note():
    blocks, _ = build(*[("section", f"s{i}") for i in range(80)])
    assert len(blocks) == LIMITS["blocks"]
    assert blocks[-1]["type"] == "context"
    assert "shortened" in blocks[-1]["elements"][0]["text"]
    assert blocks[-2]["text"]["text"] == f"s{LIMITS['blocks'] - 2}"
    validate(blocks)


def test_exactly_fifty_blocks_are_kept():
    blocks, _ = build(*[("section", f"s{i}") for i in range(50)])
    assert len(blocks) == 50
    assert blocks[-1]["text"]["text"] == "s49"


def test_fallback_text_is_capped():
    blocks, text = build(*[("section", "t" * 2999) for _ in range(20)])
    assert len(text) <= LIMITS["message_text"]
    assert len(blocks) == 20


# -- escaping ----------------------------------------------------------------------------------


def test_escape_mrkdwn_escapes_only_amp_lt_gt():
    assert escape_mrkdwn("a & b <@U1> <!channel>") == "a &amp; b &lt;@U1&gt; &lt;!channel&gt;"
    assert escape_mrkdwn("\"quotes\" 'single' *bold* _it_ `code`") == (
        "\"quotes\" 'single' *bold* _it_ `code`"
    )
    assert escape_mrkdwn("&amp;") == "&amp;amp;"
    assert escape_mrkdwn(None) == ""
    assert escape_mrkdwn(42) == "42"


def test_unescape_reverses_escape():
    for text in ["a & b", "<@U1>", "&lt;", "x &amp; y", ""]:
        assert unescape_mrkdwn(escape_mrkdwn(text)) == text


# -- the Jinja environment ---------------------------------------------------------------------


def test_environment_is_sandboxed(renderer):
    template = renderer.env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(SecurityError):
        template.render()


def test_environment_is_immutable_sandbox(renderer):
    template = renderer.env.from_string("{% do items.append(1) %}{{ items }}")
    with pytest.raises(SecurityError):
        template.render(items=[])


def test_environment_is_strict_about_undefined_names(renderer):
    with pytest.raises(UndefinedError):
        renderer.env.from_string("{{ no_such_name }}").render()
    with pytest.raises(UndefinedError):
        renderer.env.from_string("{{ d.missing }}").render(d={})


def test_every_value_is_escaped(renderer):
    rendered = renderer.env.from_string("{{ v }} & <b>").render(v="<!channel> & x")
    assert rendered == "&lt;!channel&gt; &amp; x & <b>"


def test_values_are_not_evaluated_again(renderer):
    rendered = renderer.env.from_string("{{ v }}").render(v="{{ 7*7 }}")
    assert rendered == "{{ 7*7 }}"


def test_render_uses_the_builder(renderer, tmp_path):
    (tmp_path / "t.j2").write_text(
        "{% set t %}{{ title }}{% endset %}{% do slack.header(t) %}"
        "{% set b %}*{{ body }}*{% endset %}{% do slack.section(b) %}",
        encoding="utf-8",
    )
    blocks, text = Renderer(tmp_path).render("t", title="A & B", body="<x>")
    assert blocks[0]["text"]["text"] == "A & B"
    assert blocks[1]["text"]["text"] == "*&lt;x&gt;*"
    assert text == "*A &amp; B*\n\n*&lt;x&gt;*"


def test_every_template_compiles(renderer):
    names = sorted(p.name for p in (REPO / "responses").glob("*.j2"))
    assert "role_info.j2" in names
    for template in names:
        renderer.env.get_template(template)
