from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period import Period

if TYPE_CHECKING:
    from ..models.usage_response_by_model import UsageResponseByModel


T = TypeVar("T", bound="UsageResponse")


@_attrs_define
class UsageResponse:
    """Response model for usage statistics.

    Attributes:
        project_id (str): The key's project.
        period (Period): Aggregation period for usage statistics.
        total_tokens (int):
        total_cost (float):
        by_model (UsageResponseByModel):
        limit (int | None): Monthly token limit; null when the project has none.
        remaining (int | None): limit - tokens used this month; can be negative (batches are not checked).
    """

    project_id: str
    period: Period
    total_tokens: int
    total_cost: float
    by_model: UsageResponseByModel
    limit: int | None
    remaining: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_id = self.project_id

        period = self.period.value

        total_tokens = self.total_tokens

        total_cost = self.total_cost

        by_model = self.by_model.to_dict()

        limit: int | None
        limit = self.limit

        remaining: int | None
        remaining = self.remaining

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_id": project_id,
                "period": period,
                "total_tokens": total_tokens,
                "total_cost": total_cost,
                "by_model": by_model,
                "limit": limit,
                "remaining": remaining,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_response_by_model import UsageResponseByModel  # noqa: PLC0415

        d = dict(src_dict)
        project_id = d.pop("project_id")

        period = Period(d.pop("period"))

        total_tokens = d.pop("total_tokens")

        total_cost = d.pop("total_cost")

        by_model = UsageResponseByModel.from_dict(d.pop("by_model"))

        def _parse_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        limit = _parse_limit(d.pop("limit"))

        def _parse_remaining(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        remaining = _parse_remaining(d.pop("remaining"))

        usage_response = cls(
            project_id=project_id,
            period=period,
            total_tokens=total_tokens,
            total_cost=total_cost,
            by_model=by_model,
            limit=limit,
            remaining=remaining,
        )

        usage_response.additional_properties = d
        return usage_response

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
