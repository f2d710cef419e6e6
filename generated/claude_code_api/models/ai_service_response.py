from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.process_metadata import ProcessMetadata


T = TypeVar("T", bound="AIServiceResponse")


@_attrs_define
class AIServiceResponse:
    """AI Services compatible response format.

    Mirrors production ai-services response structure.

        Attributes:
            content (str): Response content
            model (str): Model used
            metadata (ProcessMetadata): What ran for a `/v1/process` request and what it cost.
            provider (str | Unset): Provider name Default: 'claudecode'.
    """

    content: str
    model: str
    metadata: ProcessMetadata
    provider: str | Unset = "claudecode"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = self.content

        model = self.model

        metadata = self.metadata.to_dict()

        provider = self.provider

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
                "model": model,
                "metadata": metadata,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.process_metadata import ProcessMetadata  # noqa: PLC0415

        d = dict(src_dict)
        content = d.pop("content")

        model = d.pop("model")

        metadata = ProcessMetadata.from_dict(d.pop("metadata"))

        provider = d.pop("provider", UNSET)

        ai_service_response = cls(
            content=content,
            model=model,
            metadata=metadata,
            provider=provider,
        )

        ai_service_response.additional_properties = d
        return ai_service_response

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
