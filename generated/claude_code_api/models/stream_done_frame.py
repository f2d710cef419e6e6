from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="StreamDoneFrame")


@_attrs_define
class StreamDoneFrame:
    """The end of one request; usage is recorded after it is sent.

    Attributes:
        type_ (Literal['done']):
        usage (Usage): Token usage statistics.
        cost (float):
        model (str):
    """

    type_: Literal["done"]
    usage: Usage
    cost: float
    model: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        usage = self.usage.to_dict()

        cost = self.cost

        model = self.model

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "usage": usage,
                "cost": cost,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["done"], d.pop("type"))
        if type_ != "done":
            raise ValueError(f"type must match const 'done', got '{type_}'")

        usage = Usage.from_dict(d.pop("usage"))

        cost = d.pop("cost")

        model = d.pop("model")

        stream_done_frame = cls(
            type_=type_,
            usage=usage,
            cost=cost,
            model=model,
        )

        stream_done_frame.additional_properties = d
        return stream_done_frame

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
