from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StreamErrorFrame")


@_attrs_define
class StreamErrorFrame:
    """A failed request. After "Invalid JSON format", "Unknown message type: ...",
    "No messages provided", "Invalid model: ...", "Budget exceeded for project ...",
    "Streaming error: ...", "api_key required for agentic tasks", "Permission denied: ..."
    and "Task execution error: ..." the socket stays usable. After "Server error: ..." the
    service stops serving the socket but never closes it.

        Attributes:
            type_ (Literal['error']):
            error (str):
    """

    type_: Literal["error"]
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["error"], d.pop("type"))
        if type_ != "error":
            raise ValueError(f"type must match const 'error', got '{type_}'")

        error = d.pop("error")

        stream_error_frame = cls(
            type_=type_,
            error=error,
        )

        stream_error_frame.additional_properties = d
        return stream_error_frame

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
