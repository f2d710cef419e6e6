from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="ChatCompletionResponse")


@_attrs_define
class ChatCompletionResponse:
    """Response model for chat completions.

    Attributes:
        id (str): Task id (a UUID4).
        model (str): The model that ran.
        content (str): Generated response
        usage (Usage): Token usage statistics.
        cost (float): Cost in USD.
        project_id (str): The key's project, which was charged.
    """

    id: str
    model: str
    content: str
    usage: Usage
    cost: float
    project_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        model = self.model

        content = self.content

        usage = self.usage.to_dict()

        cost = self.cost

        project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "model": model,
                "content": content,
                "usage": usage,
                "cost": cost,
                "project_id": project_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        model = d.pop("model")

        content = d.pop("content")

        usage = Usage.from_dict(d.pop("usage"))

        cost = d.pop("cost")

        project_id = d.pop("project_id")

        chat_completion_response = cls(
            id=id,
            model=model,
            content=content,
            usage=usage,
            cost=cost,
            project_id=project_id,
        )

        chat_completion_response.additional_properties = d
        return chat_completion_response

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
