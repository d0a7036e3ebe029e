"""The block builder keeps every answer within Slack's limits and escapes mrkdwn once; the
template environment is sandboxed and strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from slack_sdk.models.blocks import Block

from bot.knowledge.schema import Fact, Source
from bot.render import (
    LIMITS,
    BlockBuilder,
    ExamplesError,
    Renderer,
    escape_mrkdwn,
    format_lines,
    unescape_mrkdwn,
)

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
    built = builder.build()
    return built.blocks, built.text


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


def test_header_is_plain_text_unescaped_and_fallback_is_escaped_once():
    blocks, text = build(("header", "AE & AM <b>"))
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
    blocks, _ = build(("button", "AE & AM", "v"), ("actions",))
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
    built = builder.build()
    blocks, text = built.blocks, built.text
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
    builder.button("S&M & <b>", "v")
    builder.actions("Also ask")
    built = builder.build()
    blocks, text = built.blocks, built.text
    assert blocks[0]["elements"][0]["text"]["text"] == "S&M & <b>"
    assert text == "Also ask: S&amp;M &amp; &lt;b&gt;"
    builder = BlockBuilder()
    builder.button("Go", "v")
    blocks = builder.build().blocks
    assert blocks[0]["type"] == "actions"


def test_actions_without_buttons_adds_nothing():
    blocks, text = build(("actions", "fallback"), ("section", "x"))
    assert [b["type"] for b in blocks] == ["section"]
    assert "fallback" not in text


# -- tables and block count ------------------------------------------------------------------


def test_table_is_one_table_block_of_plain_cells_with_a_mrkdwn_fallback():
    blocks, text = build(("table", ["", "AE", "AM"], [["Metrics", "Quota & revenue", "<b>"]]))
    assert blocks == (
        {
            "type": "table",
            "column_settings": [{"is_wrapped": True}] * 3,
            "rows": [
                [{"type": "raw_text", "text": t} for t in ("-", "AE", "AM")],
                [{"type": "raw_text", "text": t} for t in ("Metrics", "Quota & revenue", "<b>")],
            ],
        },
    )
    assert text == "*Metrics*\n• AE: Quota &amp; revenue\n• AM: &lt;b&gt;"
    validate(blocks)


def test_second_table_in_a_message_becomes_a_section():
    blocks, _ = build(("table", ["", "A"], [["r", "x"]]), ("table", ["", "B"], [["s", "y"]]))
    assert [b["type"] for b in blocks] == ["table", "section"]
    assert blocks[1]["text"]["text"] == "*s*\n• B: y"


def test_table_keeps_slack_limits():
    head = ["", *(f"c{i}" for i in range(30))]
    rows = [[f"r{i}", *("z" * 5000 for _ in range(30))] for i in range(150)]
    blocks, _ = build(("table", head, rows))
    table = blocks[0]
    assert len(table["rows"]) == LIMITS["table_rows"]
    assert all(len(row) == LIMITS["table_columns"] for row in table["rows"])
    assert len(table["rows"][1][1]["text"]) == LIMITS["table_cell"]
    validate(blocks)


def test_marks_number_articles_in_order_and_collect_lines():
    sources = {
        "a": Source(id="a", file="a.txt", title="Article A"),
        "b": Source(id="b", file="b.txt", title="Article B"),
    }
    builder = BlockBuilder(sources)
    first = Fact(text="x", source={"id": "b", "lines": [7]})
    second = Fact(text="y", source=[{"id": "a", "lines": [3]}, {"id": "b", "lines": [5]}])
    assert builder.mark(first) == "[1]"
    assert builder.mark(second) == "[2][1]"
    cited = builder.build().citations
    assert [(c.marker, c.source.id, c.lines) for c in cited] == [(1, "b", (5, 7)), (2, "a", (3,))]


def test_lines_are_written_as_ranges():
    assert format_lines([7, 3, 4, 5, 9, 3]) == "3\u20135, 7, 9"
    assert format_lines([1]) == "1"


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


def test_values_are_left_for_the_builder_to_escape(renderer):
    template = renderer.env.from_string("{{ v }} & {{ none }}")
    rendered = template.render(v="<!channel> & x", none=None)
    assert rendered == "<!channel> & x & "


def test_values_are_not_evaluated_again(renderer):
    rendered = renderer.env.from_string("{{ v }}").render(v="{{ 7*7 }}")
    assert rendered == "{{ 7*7 }}"


def test_render_uses_the_builder(renderer, tmp_path):
    (tmp_path / "t.j2").write_text(
        "{% set t %}{{ title }}{% endset %}{% do slack.header(t) %}"
        "{% set b %}*{{ body }}*{% endset %}{% do slack.section(b) %}",
        encoding="utf-8",
    )
    (tmp_path / "examples.yaml").write_text("help: [\"AE vs AM?\"]\n", encoding="utf-8")
    built = Renderer(tmp_path).render("t", title="A & B", body="<x> &amp;")
    assert built.blocks[0]["text"]["text"] == "A & B"
    # Escaped exactly once: "&amp;" typed by a user arrives as it was typed.
    assert built.blocks[1]["text"]["text"] == "*&lt;x&gt; &amp;amp;*"
    assert built.text == "*A &amp; B*\n\n*&lt;x&gt; &amp;amp;*"


def test_every_template_compiles(renderer):
    names = sorted(p.name for p in (REPO / "responses").glob("*.j2"))
    assert "role_info.j2" in names
    for template in names:
        renderer.env.get_template(template)


@pytest.mark.parametrize(
    "content", [None, "help: AE vs AM\n", "- a list\n", "help: [1, 2]\n", "help: [': x\n"]
)
def test_examples_that_are_missing_or_malformed_are_a_clear_error(tmp_path, content):
    if content is not None:
        (tmp_path / "examples.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ExamplesError, match=r"examples\.yaml"):
        Renderer(tmp_path)


def test_compiled_templates_are_kept_and_an_edit_is_compiled_afresh(tmp_path, monkeypatch):
    from jinja2 import FileSystemBytecodeCache

    import bot.render

    cache = tmp_path / "cache"
    cache.mkdir()
    kept = FileSystemBytecodeCache(str(cache))
    monkeypatch.setattr(bot.render, "FileSystemBytecodeCache", lambda: kept)
    (tmp_path / "examples.yaml").write_text('help: ["AE vs AM?"]\n', encoding="utf-8")
    (tmp_path / "t.j2").write_text('{% do slack.section("one") %}', encoding="utf-8")
    assert "one" in Renderer(tmp_path).render("t").text
    assert list(cache.iterdir())  # kept for the next process
    (tmp_path / "t.j2").write_text('{% do slack.section("two") %}', encoding="utf-8")
    assert "two" in Renderer(tmp_path).render("t").text


def test_templates_render_where_no_cache_folder_can_be_made(tmp_path, monkeypatch):
    import bot.render

    def refuse() -> None:
        raise RuntimeError("no cache folder")

    monkeypatch.setattr(bot.render, "FileSystemBytecodeCache", refuse)
    (tmp_path / "examples.yaml").write_text('help: ["AE vs AM?"]\n', encoding="utf-8")
    (tmp_path / "t.j2").write_text('{% do slack.section("one") %}', encoding="utf-8")
    renderer = Renderer(tmp_path)
    assert renderer.env.bytecode_cache is None
    assert "one" in renderer.render("t").text
