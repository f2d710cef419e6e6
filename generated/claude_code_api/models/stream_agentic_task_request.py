from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamAgenticTaskRequest")


@_attrs_define
class StreamAgenticTaskRequest:
    """The agentic task client frame of `/v1/stream` (generation 2). `api_key` is looked up
    only in the permission profiles. The model is auto-selected and the task is always
    checked against and charged to the project "default" (`model` and `project_id` are
    ignored).

        Attributes:
            type_ (Literal['agentic_task']):
            api_key (str):
            description (str):
            allow_tools (list[str] | Unset):
            allow_agents (list[str] | Unset):
            allow_skills (list[str] | Unset):
            timeout (int | Unset):  Default: 300.
            max_cost (float | Unset):  Default: 1.0.
    """

    type_: Literal["agentic_task"]
    api_key: str
    description: str
    allow_tools: list[str] | Unset = UNSET
    allow_agents: list[str] | Unset = UNSET
    allow_skills: list[str] | Unset = UNSET
    timeout: int | Unset = 300
    max_cost: float | Unset = 1.0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        api_key = self.api_key

        description = self.description

        allow_tools: list[str] | Unset = UNSET
        if not isinstance(self.allow_tools, Unset):
            allow_tools = self.allow_tools

        allow_agents: list[str] | Unset = UNSET
        if not isinstance(self.allow_agents, Unset):
            allow_agents = self.allow_agents

        allow_skills: list[str] | Unset = UNSET
        if not isinstance(self.allow_skills, Unset):
            allow_skills = self.allow_skills

        timeout = self.timeout

        max_cost = self.max_cost

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "api_key": api_key,
                "description": description,
            }
        )
        if allow_tools is not UNSET:
            field_dict["allow_tools"] = allow_tools
        if allow_agents is not UNSET:
            field_dict["allow_agents"] = allow_agents
        if allow_skills is not UNSET:
            field_dict["allow_skills"] = allow_skills
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if max_cost is not UNSET:
            field_dict["max_cost"] = max_cost

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["agentic_task"], d.pop("type"))
        if type_ != "agentic_task":
            raise ValueError(f"type must match const 'agentic_task', got '{type_}'")

        api_key = d.pop("api_key")

        description = d.pop("description")

        allow_tools = cast(list[str], d.pop("allow_tools", UNSET))

        allow_agents = cast(list[str], d.pop("allow_agents", UNSET))

        allow_skills = cast(list[str], d.pop("allow_skills", UNSET))

        timeout = d.pop("timeout", UNSET)

        max_cost = d.pop("max_cost", UNSET)

        stream_agentic_task_request = cls(
            type_=type_,
            api_key=api_key,
            description=description,
            allow_tools=allow_tools,
            allow_agents=allow_agents,
            allow_skills=allow_skills,
            timeout=timeout,
            max_cost=max_cost,
        )

        stream_agentic_task_request.additional_properties = d
        return stream_agentic_task_request

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
