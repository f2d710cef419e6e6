from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskUsage")


@_attrs_define
class TaskUsage:
    """Tokens and cost of a task. A task that ran has the token counts, `total_cost`,
    `model_used` and (`completed`) `duration_seconds`; a budget refusal has only
    `estimated_tokens`.

        Attributes:
            input_tokens (int | Unset):
            output_tokens (int | Unset):
            total_tokens (int | Unset):
            total_cost (float | Unset):
            model_used (str | Unset):
            duration_seconds (float | Unset):
            estimated_tokens (int | Unset):
    """

    input_tokens: int | Unset = UNSET
    output_tokens: int | Unset = UNSET
    total_tokens: int | Unset = UNSET
    total_cost: float | Unset = UNSET
    model_used: str | Unset = UNSET
    duration_seconds: float | Unset = UNSET
    estimated_tokens: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        total_tokens = self.total_tokens

        total_cost = self.total_cost

        model_used = self.model_used

        duration_seconds = self.duration_seconds

        estimated_tokens = self.estimated_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if total_cost is not UNSET:
            field_dict["total_cost"] = total_cost
        if model_used is not UNSET:
            field_dict["model_used"] = model_used
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if estimated_tokens is not UNSET:
            field_dict["estimated_tokens"] = estimated_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        total_tokens = d.pop("total_tokens", UNSET)

        total_cost = d.pop("total_cost", UNSET)

        model_used = d.pop("model_used", UNSET)

        duration_seconds = d.pop("duration_seconds", UNSET)

        estimated_tokens = d.pop("estimated_tokens", UNSET)

        task_usage = cls(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=total_tokens,
            total_cost=total_cost,
            model_used=model_used,
            duration_seconds=duration_seconds,
            estimated_tokens=estimated_tokens,
        )

        task_usage.additional_properties = d
        return task_usage

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
