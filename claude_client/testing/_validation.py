"""Request bodies read and checked the way FastAPI 0.109 with pydantic 2.5 does it.

The service answers schema errors with pydantic's error list; clients show or match these
bodies, so the double builds the same entries (type, loc, msg, input, ctx, url) for the few
field types the service's request models use, in pydantic's lax mode: numbers from numeric
strings, bools as numbers, no whitespace trimming, constraints checked ``le`` before ``ge``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from email.message import Message
from typing import Any, Final

_URL: Final = "https://errors.pydantic.dev/2.5/v/"
_INT_STRING = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0*)?")
_I64_LIMIT = 2.0**63

Loc = tuple[str | int, ...]
ErrorList = list[dict[str, Any]]
Validator = Callable[[Any, Loc, ErrorList], Any]


class _Invalid:
    """Marks a value that failed validation (its error is already recorded)."""


class _Required:
    """Marks a field without a default."""


INVALID: Final = _Invalid()
REQUIRED: Final = _Required()


class RequestValidationError(Exception):
    """The body broke the schema or was not JSON: the service answers 422 with these errors."""

    def __init__(self, errors: ErrorList) -> None:
        super().__init__("request validation failed")
        self.errors = errors


class BodyParseError(Exception):
    """A JSON body that cannot even be decoded as text: the service answers 400."""


def error(
    kind: str,
    loc: Loc,
    msg: str,
    value: Any,
    ctx: dict[str, Any] | None = None,
    *,
    url: bool = True,
) -> dict[str, Any]:
    """One pydantic error entry, keys in pydantic's order (enum errors carry no ``url``)."""
    entry: dict[str, Any] = {"type": kind, "loc": list(loc), "msg": msg, "input": value}
    if ctx is not None:
        entry["ctx"] = ctx
    if url:
        entry["url"] = _URL + kind
    return entry


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _check_bounds(
    value: float, raw: Any, loc: Loc, errors: ErrorList, ge: float | None, le: float | None
) -> Any:
    if le is not None and not value <= le:
        msg = f"Input should be less than or equal to {_number_text(le)}"
        errors.append(error("less_than_equal", loc, msg, raw, {"le": le}))
        return INVALID
    if ge is not None and not value >= ge:
        msg = f"Input should be greater than or equal to {_number_text(ge)}"
        errors.append(error("greater_than_equal", loc, msg, raw, {"ge": ge}))
        return INVALID
    return value


def instance_of(kind: type, error_type: str, msg: str) -> Validator:
    """A field that takes values of one JSON type as they are."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        if isinstance(value, kind):
            return value
        errors.append(error(error_type, loc, msg, value))
        return INVALID

    return validate


#: A ``str`` field.
string = instance_of(str, "string_type", "Input should be a valid string")
#: A free ``dict`` field.
dictionary = instance_of(dict, "dict_type", "Input should be a valid dictionary")


def number(ge: float | None = None, le: float | None = None) -> Validator:
    """A ``float`` field with optional ``ge``/``le`` constraints."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        if isinstance(value, bool | int | float):
            try:
                parsed = float(value)
            except OverflowError:
                parsed = math.copysign(math.inf, value)
        elif isinstance(value, str):
            try:
                if not value.isascii() or value != value.strip():
                    raise ValueError(value)
                parsed = float(value)
            except ValueError:
                msg = "Input should be a valid number, unable to parse string as a number"
                errors.append(error("float_parsing", loc, msg, value))
                return INVALID
        else:
            errors.append(error("float_type", loc, "Input should be a valid number", value))
            return INVALID
        return _check_bounds(parsed, value, loc, errors, ge, le)

    return validate


def integer(ge: int | None = None) -> Validator:
    """An ``int`` field with an optional ``ge`` constraint."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        parsed: int
        if isinstance(value, bool | int):
            parsed = int(value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                errors.append(error("finite_number", loc, "Input should be a finite number", value))
                return INVALID
            if not value.is_integer():
                msg = "Input should be a valid integer, got a number with a fractional part"
                errors.append(error("int_from_float", loc, msg, value))
                return INVALID
            if abs(value) >= _I64_LIMIT:
                msg = "Unable to parse input string as an integer, exceeded maximum size"
                errors.append(error("int_parsing_size", loc, msg, value))
                return INVALID
            parsed = int(value)
        elif isinstance(value, str):
            if not _INT_STRING.fullmatch(value):
                msg = "Input should be a valid integer, unable to parse string as an integer"
                errors.append(error("int_parsing", loc, msg, value))
                return INVALID
            parsed = int(value.split(".")[0])
        else:
            errors.append(error("int_type", loc, "Input should be a valid integer", value))
            return INVALID
        return _check_bounds(parsed, value, loc, errors, ge, None)

    return validate


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def boolean(value: Any, loc: Loc, errors: ErrorList) -> Any:
    """A ``bool`` field, lax: 0/1 and the usual words count."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    if isinstance(value, int | float | str):
        msg = "Input should be a valid boolean, unable to interpret input"
        errors.append(error("bool_parsing", loc, msg, value))
    else:
        errors.append(error("bool_type", loc, "Input should be a valid boolean", value))
    return INVALID


def anything(value: Any, loc: Loc, errors: ErrorList) -> Any:
    """An ``Any`` field: every JSON value passes."""
    return value


def one_of(*choices: str) -> Validator:
    """A ``str`` enum field (pydantic reports it without a ``url``)."""
    quoted = [f"'{c}'" for c in choices]
    expected = ", ".join(quoted[:-1]) + f" or {quoted[-1]}"

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        if value in choices:
            return value
        msg = f"Input should be {expected}"
        errors.append(error("enum", loc, msg, value, {"expected": expected}, url=False))
        return INVALID

    return validate


def nullable(inner: Validator) -> Validator:
    """``Optional[...]``: None passes, anything else goes to ``inner``."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        return None if value is None else inner(value, loc, errors)

    return validate


def list_of(item: Validator) -> Validator:
    """``List[...]``: a JSON array whose items are each validated."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        if not isinstance(value, list):
            errors.append(error("list_type", loc, "Input should be a valid list", value))
            return INVALID
        items = [item(v, (*loc, i), errors) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in items) else items

    return validate


def model(fields: Sequence[tuple[str, Validator, Any]]) -> Validator:
    """A pydantic model validated with ``from_attributes=True``, as FastAPI does."""

    def validate(value: Any, loc: Loc, errors: ErrorList) -> Any:
        if not isinstance(value, dict):
            shown = value.decode() if isinstance(value, bytes) else value
            msg = "Input should be a valid dictionary or object to extract fields from"
            errors.append(error("model_attributes_type", loc, msg, shown))
            return INVALID
        result: dict[str, Any] = {}
        for name, check, default in fields:
            if name in value:
                result[name] = check(value[name], (*loc, name), errors)
            elif default is REQUIRED:
                errors.append(error("missing", (*loc, name), "Field required", value))
                result[name] = INVALID
            else:
                result[name] = default
        return INVALID if any(v is INVALID for v in result.values()) else result

    return validate


MESSAGE = model([("role", string, REQUIRED), ("content", string, REQUIRED)])
CHAT_REQUEST = model(
    [
        ("messages", list_of(MESSAGE), REQUIRED),
        ("model", nullable(string), None),
        ("timeout", number(ge=1.0, le=300.0), 30.0),
        ("max_tokens", nullable(integer()), None),
    ]
)
BATCH_REQUEST = model(
    [
        (
            "prompts",
            list_of(model([("prompt", string, REQUIRED), ("id", nullable(string), None)])),
            REQUIRED,
        ),
        ("model", nullable(string), None),
        ("timeout", number(ge=1.0, le=300.0), 30.0),
    ]
)
#: Generation 2's chat request: two more optional fields, both passed on to the CLI.
CHAT_REQUEST_2 = model(
    [
        ("messages", list_of(MESSAGE), REQUIRED),
        ("model", nullable(string), None),
        ("timeout", number(ge=1.0, le=300.0), 30.0),
        ("max_tokens", nullable(integer()), None),
        ("working_directory", nullable(string), None),
        ("allowed_tools", nullable(list_of(string)), None),
    ]
)
#: ``AgenticTaskRequest`` of ``POST /v1/task`` (and of the WebSocket ``agentic_task`` message).
AGENTIC_FIELDS: Final[tuple[tuple[str, Validator, Any], ...]] = (
    ("description", string, REQUIRED),
    ("allow_tools", list_of(string), []),
    ("allow_agents", list_of(string), []),
    ("allow_skills", list_of(string), []),
    ("working_directory", string, "/project"),
    ("timeout", integer(), 300),
    ("max_cost", number(), 1.0),
    ("model", nullable(string), None),
    ("project_id", string, "default"),
    ("api_key", string, "default"),
)
AGENTIC_REQUEST = model(AGENTIC_FIELDS)
_PROCESS_MESSAGE = model(
    [
        ("id", nullable(string), None),
        ("role", one_of("system", "user", "assistant", "tool"), REQUIRED),
        ("content", string, REQUIRED),
        ("created_at", nullable(string), None),
        ("metadata", nullable(dictionary), None),
        ("tool_call_id", nullable(string), None),
        ("tool_calls", nullable(list_of(dictionary)), None),
    ]
)
#: ``ProcessRequest`` of ``POST /v1/process``.
PROCESS_REQUEST = model(
    [
        ("provider", string, REQUIRED),
        ("model_name", string, REQUIRED),
        ("messages", nullable(list_of(_PROCESS_MESSAGE)), None),
        ("system_message", nullable(string), None),
        ("user_message", nullable(string), None),
        ("content", anything, None),
        ("max_tokens", nullable(integer()), 1000),
        ("temperature", nullable(number()), 0.7),
        ("async_processing", boolean, False),
        ("additional_params", nullable(dictionary), None),
        ("tools", nullable(list_of(dictionary)), None),
        ("tool_choice", nullable(string), None),
        ("output_schema", nullable(dictionary), None),
        ("media_content", nullable(list_of(dictionary)), None),
        ("memory", nullable(dictionary), None),
        ("use_cli", boolean, False),
        ("project_id", nullable(string), "default"),
    ]
)
ROUTE_REQUEST = model([("prompt", string, REQUIRED), ("context_size", integer(ge=0), 0)])


def decode_body(body: bytes, content_type: str | None) -> Any:
    """The request body as FastAPI hands it to validation (run before authentication).

    Empty body: None. JSON (no content type, ``application/json`` or ``application/*+json``):
    the decoded value, or 422 ``json_invalid``. Any other content type: the raw bytes.
    """
    if not body:
        return None
    if content_type:
        message = Message()
        message["content-type"] = content_type
        subtype = message.get_content_subtype()
        is_json = message.get_content_maintype() == "application" and (
            subtype == "json" or subtype.endswith("+json")
        )
        if not is_json:
            return body
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        entry = {
            "type": "json_invalid",
            "loc": ["body", exc.pos],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": exc.msg},
        }
        raise RequestValidationError([entry]) from exc
    except ValueError as exc:  # undecodable bytes
        raise BodyParseError(str(exc)) from exc


def validation_text(errors: ErrorList, title: str) -> str:
    """``str()`` of pydantic's ``ValidationError``, for the WebSocket's "Server error" frames."""
    count = len(errors)
    lines = [f"{count} validation error{'s' if count != 1 else ''} for {title}"]
    for entry in errors:
        value = entry["input"]
        lines.append(".".join(str(part) for part in entry["loc"]))
        lines.append(
            f"  {entry['msg']} [type={entry['type']}, input_value={value!r}, "
            f"input_type={type(value).__name__}]"
        )
        if "url" in entry:
            lines.append(f"    For further information visit {entry['url']}")
    return "\n".join(lines)


def validate_body(value: Any, schema: Validator) -> dict[str, Any]:
    """The validated body as a dict, or `RequestValidationError` with every problem."""
    errors: ErrorList = []
    if value is None:
        errors.append(error("missing", ("body",), "Field required", None))
        raise RequestValidationError(errors)
    result = schema(value, ("body",), errors)
    if errors or result is INVALID:
        raise RequestValidationError(errors)
    assert isinstance(result, dict)
    return result
