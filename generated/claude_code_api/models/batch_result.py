from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_item_status import BatchItemStatus

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """Result for a single batch item.

    Attributes:
        id (None | str): Prompt ID (if provided)
        prompt (str):
        status (BatchItemStatus):
        content (None | str):
        usage (None | Usage):
        cost (float | None):
        error (None | str): The failure text, without a "Task failed:" prefix.
    """

    id: None | str
    prompt: str
    status: BatchItemStatus
    content: None | str
    usage: None | Usage
    cost: float | None
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.usage import Usage  # noqa: PLC0415

        id: None | str
        id = self.id

        prompt = self.prompt

        status = self.status.value

        content: None | str
        content = self.content

        usage: dict[str, Any] | None
        if isinstance(self.usage, Usage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        cost: float | None
        cost = self.cost

        error: None | str
        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "prompt": prompt,
                "status": status,
                "content": content,
                "usage": usage,
                "cost": cost,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

        prompt = d.pop("prompt")

        status = BatchItemStatus(d.pop("status"))

        def _parse_content(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content = _parse_content(d.pop("content"))

        def _parse_usage(data: object) -> None | Usage:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = Usage.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Usage, data)

        usage = _parse_usage(d.pop("usage"))

        def _parse_cost(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost = _parse_cost(d.pop("cost"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        batch_result = cls(
            id=id,
            prompt=prompt,
            status=status,
            content=content,
            usage=usage,
            cost=cost,
            error=error,
        )

        batch_result.additional_properties = d
        return batch_result

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
