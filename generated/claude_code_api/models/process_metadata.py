from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="ProcessMetadata")


@_attrs_define
class ProcessMetadata:
    """What ran for a `/v1/process` request and what it cost.

    Attributes:
        actual_model (str | Unset): The model that ran (haiku, sonnet or opus), mapped from `model_name`.
        usage (Usage | Unset): Token usage statistics.
        cost_usd (float | Unset):
        processing_time (float | Unset):
        finish_reason (str | Unset):
        mapped_from (str | Unset):
    """

    actual_model: str | Unset = UNSET
    usage: Usage | Unset = UNSET
    cost_usd: float | Unset = UNSET
    processing_time: float | Unset = UNSET
    finish_reason: str | Unset = UNSET
    mapped_from: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actual_model = self.actual_model

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        cost_usd = self.cost_usd

        processing_time = self.processing_time

        finish_reason = self.finish_reason

        mapped_from = self.mapped_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if actual_model is not UNSET:
            field_dict["actual_model"] = actual_model
        if usage is not UNSET:
            field_dict["usage"] = usage
        if cost_usd is not UNSET:
            field_dict["cost_usd"] = cost_usd
        if processing_time is not UNSET:
            field_dict["processing_time"] = processing_time
        if finish_reason is not UNSET:
            field_dict["finish_reason"] = finish_reason
        if mapped_from is not UNSET:
            field_dict["mapped_from"] = mapped_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        actual_model = d.pop("actual_model", UNSET)

        _usage = d.pop("usage", UNSET)
        usage: Usage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = Usage.from_dict(_usage)

        cost_usd = d.pop("cost_usd", UNSET)

        processing_time = d.pop("processing_time", UNSET)

        finish_reason = d.pop("finish_reason", UNSET)

        mapped_from = d.pop("mapped_from", UNSET)

        process_metadata = cls(
            actual_model=actual_model,
            usage=usage,
            cost_usd=cost_usd,
            processing_time=processing_time,
            finish_reason=finish_reason,
            mapped_from=mapped_from,
        )

        process_metadata.additional_properties = d
        return process_metadata

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
