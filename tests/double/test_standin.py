"""The stand-in CLI and the service's pure rules (prices, routing), without a server."""

from __future__ import annotations

import json

import pytest

from claude_client.testing import _standin
from claude_client.testing._pricing import cost_of
from claude_client.testing._router import auto_select_model, budget_remaining, reasoning


@pytest.mark.parametrize(
    ("model", "cost"), [("haiku", 4.925e-05), ("sonnet", 0.000591), ("opus", 0.002955)]
)
def test_prices_match_the_observed_costs(model: str, cost: float) -> None:
    assert cost_of(model, 7, 38) == cost


def test_unknown_models_cost_nothing() -> None:
    assert cost_of("claude-sonnet-4-5", 1000, 1000) == 0.0


def test_reply_is_deterministic_and_varies() -> None:
    first = _standin.reply_text("user: list three colors", "haiku")
    assert first == _standin.reply_text("user: list three colors", "haiku")
    assert first != _standin.reply_text("user: list three rivers", "haiku")
    assert first != _standin.reply_text("user: list three colors", "opus")
    assert first.endswith(".") and '"list three colors"' in first


def test_token_counts_are_plausible() -> None:
    assert _standin.count_tokens("") == 1
    assert _standin.count_tokens("one two three") == 4
    run = _standin.run("user: hello there", "sonnet")
    output = json.loads(run.stdout)
    assert output["usage"]["input_tokens"] == 4
    assert output["usage"]["output_tokens"] == _standin.count_tokens(output["content"][0]["text"])


def test_slices_follow_the_services_cut() -> None:
    text = "x" * 45
    assert _standin.slices(text) == ["xx"] * 22 + ["x"]
    assert _standin.slices("abc") == ["a", "b", "c"]
    assert _standin.slices("") == []


@pytest.mark.parametrize(
    ("prompt", "exit_code", "stdout", "sleep"),
    [
        ("a [[fail]]", 1, "", 0.0),
        ("a [[fail:7]]", 7, "", 0.0),
        ("a [[bad-json]]", 0, "this is not json\n", 0.0),
        ("a [[sleep:1.5]] [[fail]]", 1, "", 1.5),
        ("a [[sleep:soon]]", 0, None, 0.0),
    ],
)
def test_markers(prompt: str, exit_code: int, stdout: str | None, sleep: float) -> None:
    run = _standin.run(prompt, "haiku")
    assert (run.exit_code, run.sleep) == (exit_code, sleep)
    if stdout is not None:
        assert run.stdout == stdout


def test_empty_marker() -> None:
    text, input_tokens, output_tokens = _standin.parse_output(
        _standin.run("a [[empty]]", "opus").stdout
    )
    assert (text, output_tokens) == ("", 0)
    assert input_tokens > 0


@pytest.mark.parametrize("model", ["auto", "gpt-4", "", "Haiku"])
def test_unknown_models_fail_like_the_cli(model: str) -> None:
    run = _standin.run("hi", model)
    assert run.exit_code == 1
    assert model in run.stderr or model == ""


def test_full_claude_model_names_are_accepted() -> None:
    assert _standin.run("hi", "claude-sonnet-4-5").exit_code == 0


def test_routing_quirks() -> None:
    assert budget_remaining(0) == float("inf")
    assert budget_remaining(None) == float("inf")
    assert budget_remaining(-36) == -36
    assert auto_select_model("please add an address", 0, float("inf")) == "haiku"
    long_simple = "list " + "x" * 100
    assert auto_select_model(long_simple, 0, float("inf")) == "sonnet"
    assert auto_select_model("debug this", 0, 4000) == "haiku"
    assert reasoning("debug this", 0, 4000) == "Complex keywords but limited budget → Haiku"


@pytest.mark.parametrize(
    ("prompt", "topic"),
    [
        ("user: what is 2+2", '"what is 2+2"'),
        ("user: C++ vs. C#: which, and why?", '"C++ vs. C#: which, and why?"'),
        ("user: [[sleep:0]] quote 'this' & \"that\"", '"quote \'this\' & "that""'),
        ("Task: count files!\n\nConfiguration:\n- Working Directory: /p", '"count files!"'),
        (
            "user: one two three four five six seven eight nine",
            '"one two three four five six seven eight..."',
        ),
    ],
)
def test_the_topic_is_echoed_with_its_punctuation(prompt: str, topic: str) -> None:
    assert topic in _standin.reply_text(prompt, "haiku")
