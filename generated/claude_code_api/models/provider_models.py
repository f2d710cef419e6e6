from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.provider_models_models import ProviderModelsModels


T = TypeVar("T", bound="ProviderModels")


@_attrs_define
class ProviderModels:
    """
    Attributes:
        provider (str): The provider as sent.
        models (ProviderModelsModels):
    """

    provider: str
    models: ProviderModelsModels
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        models = self.models.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "models": models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.provider_models_models import ProviderModelsModels  # noqa: PLC0415

        d = dict(src_dict)
        provider = d.pop("provider")

        models = ProviderModelsModels.from_dict(d.pop("models"))

        provider_models = cls(
            provider=provider,
            models=models,
        )

        provider_models.additional_properties = d
        return provider_models

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
