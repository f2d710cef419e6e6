from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_name import ModelName

if TYPE_CHECKING:
    from ..models.budget_status import BudgetStatus


T = TypeVar("T", bound="RouteResponse")


@_attrs_define
class RouteResponse:
    """Response model for routing recommendation.

    Attributes:
        recommended_model (ModelName): A model the service runs. There is no "auto" value: omit the model (or send null)
            to let
            the service choose. Any other string is passed to the CLI and fails late with a 500
            (generation 2 pastes it unquoted into a shell command).
        reasoning (str):
        budget_status (BudgetStatus):
    """

    recommended_model: ModelName
    reasoning: str
    budget_status: BudgetStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recommended_model = self.recommended_model.value

        reasoning = self.reasoning

        budget_status = self.budget_status.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recommended_model": recommended_model,
                "reasoning": reasoning,
                "budget_status": budget_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_status import BudgetStatus  # noqa: PLC0415

        d = dict(src_dict)
        recommended_model = ModelName(d.pop("recommended_model"))

        reasoning = d.pop("reasoning")

        budget_status = BudgetStatus.from_dict(d.pop("budget_status"))

        route_response = cls(
            recommended_model=recommended_model,
            reasoning=reasoning,
            budget_status=budget_status,
        )

        route_response.additional_properties = d
        return route_response

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
