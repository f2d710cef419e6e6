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

from ..models.model_name import ModelName
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.message import Message


T = TypeVar("T", bound="StreamChatRequest")


@_attrs_define
class StreamChatRequest:
    """The chat client frame of `/v1/stream` (a JSON text frame). `model` must be a real model
    name (no auto-selection, default sonnet). `project_id` names the project that is checked
    and charged (default "default"): the socket does not look at any key.

        Attributes:
            type_ (Literal['chat']):
            messages (list[Message]):
            model (ModelName | Unset): A model the service runs. There is no "auto" value: omit the model (or send null) to
                let
                the service choose. Any other string is passed to the CLI and fails late with a 500
                (generation 2 pastes it unquoted into a shell command).
            project_id (str | Unset):
    """

    type_: Literal["chat"]
    messages: list[Message]
    model: ModelName | Unset = UNSET
    project_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        model: str | Unset = UNSET
        if not isinstance(self.model, Unset):
            model = self.model.value

        project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "messages": messages,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message import Message  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["chat"], d.pop("type"))
        if type_ != "chat":
            raise ValueError(f"type must match const 'chat', got '{type_}'")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = Message.from_dict(messages_item_data)

            messages.append(messages_item)

        _model = d.pop("model", UNSET)
        model: ModelName | Unset
        if isinstance(_model, Unset):
            model = UNSET
        else:
            model = ModelName(_model)

        project_id = d.pop("project_id", UNSET)

        stream_chat_request = cls(
            type_=type_,
            messages=messages,
            model=model,
            project_id=project_id,
        )

        stream_chat_request.additional_properties = d
        return stream_chat_request

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
