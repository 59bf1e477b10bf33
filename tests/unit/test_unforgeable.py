"""Nothing a user reviews can be hidden or forged by a value: newlines, terminal escapes, bidi overrides, backticks
and HTML in values are shown, visibly, where they are, in text, Markdown and JSON."""

from __future__ import annotations

import io
import json

from markdown_it import MarkdownIt

from container_infra.diff.model import Diff, ResourceChange, ValueChange
from container_infra.render.json import diff_json
from container_infra.render.markdown import diff_markdown
from container_infra.render.text import render_diff
from container_infra.render.visible import code_span, visible
from container_infra.ui.output import Output

HOSTILE = "x\n```\n<!-- hidden\n [~] Memory: 512 → 512\n\x1b[2J\x1b]0;title\x07\u202eevil"


def _diff() -> Diff:
    return Diff(
        parameters=[ValueChange("Note", "a", HOSTILE)],
        resources=[
            ResourceChange("Modify", "Topic", "AWS::SNS::Topic", properties=[ValueChange("DisplayName", "a", HOSTILE)]),
            ResourceChange(
                "Modify",
                "Service",
                "AWS::ECS::Service",
                properties=[ValueChange("NetworkConfiguration.AssignPublicIp", "ENABLED", "DISABLED")],
            ),
        ],
    )


def test_markdown_keeps_every_change_visible_after_a_value_with_a_fence_and_an_html_comment():
    text = diff_markdown(_diff(), stack_name="web", region="eu-west-1", new_stack=False)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "AssignPublicIp: ENABLED → DISABLED" in html  # not swallowed by a closed block or a comment
    assert "<!--" not in html.replace("&lt;!--", "")  # no comment opened by the value
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b[2J" in text and "\\u202e" in text
    blocks = [token for token in MarkdownIt("commonmark").enable("table").parse(text) if token.type == "fence"]
    assert len(blocks) == 1 and "AssignPublicIp" in blocks[0].content and "```" in blocks[0].content


def test_a_text_diff_value_never_starts_a_line_of_its_own():
    stream = io.StringIO()
    render_diff(Output(stream), _diff(), stack_name="web", region="eu-west-1", new_stack=False)
    lines = stream.getvalue().splitlines()
    assert not any(line.startswith(" [~] Memory") for line in lines)  # the forged line stays inside its value
    assert "\x1b" not in stream.getvalue() and "\x07" not in stream.getvalue()
    assert any("DisplayName: a → x\\n```\\n<!-- hidden\\n [~] Memory" in line for line in lines)


def test_json_carries_the_value_exactly():
    document = json.loads(diff_json(_diff(), stack_name="web", region="eu-west-1", new_stack=False, change_set_id=None))
    assert document["parameters"][0]["new"] == HOSTILE


def test_a_code_span_is_longer_than_any_backtick_run_it_holds():
    assert code_span("a``b") == "```a``b```"
    assert code_span("`x`") == "`` `x` ``"
    assert MarkdownIt().render(code_span("`x`")).strip() == "<p><code>`x`</code></p>"
    assert visible("a\rb\u2028c") == "a\\rb\\u2028c"


def test_a_secret_is_masked_also_as_the_renderers_escape_it(capsys):
    from container_infra.ui.masked_output import MaskedOutput

    secret = "pa<ss\nwo|rd"
    out = MaskedOutput(Output(io.StringIO()))
    out.hide({"Parameters": {"P": {"Type": "String", "NoEcho": True}}}, {"P": secret})
    out.document(f"| `{visible(secret)}` | {visible(secret).replace('<', '&lt;').replace('|', chr(92) + '|')} |\n")
    printed = capsys.readouterr().out
    assert "pa" not in printed and printed == "| `****` | **** |\n"
