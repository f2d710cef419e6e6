from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelInfo")


@_attrs_define
class ModelInfo:
    """
    Attributes:
        max_tokens (int):
        context_window (int):
        supports_functions (bool):
        supports_vision (bool):
    """

    max_tokens: int
    context_window: int
    supports_functions: bool
    supports_vision: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_tokens = self.max_tokens

        context_window = self.context_window

        supports_functions = self.supports_functions

        supports_vision = self.supports_vision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "max_tokens": max_tokens,
                "context_window": context_window,
                "supports_functions": supports_functions,
                "supports_vision": supports_vision,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_tokens = d.pop("max_tokens")

        context_window = d.pop("context_window")

        supports_functions = d.pop("supports_functions")

        supports_vision = d.pop("supports_vision")

        model_info = cls(
            max_tokens=max_tokens,
            context_window=context_window,
            supports_functions=supports_functions,
            supports_vision=supports_vision,
        )

        model_info.additional_properties = d
        return model_info

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
