from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_name import ModelName
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgenticTaskRequest")


@_attrs_define
class AgenticTaskRequest:
    """Request model for agentic task execution.

    Attributes:
        description (str): The task, required and not empty (an empty one answers 500).
        allow_tools (list[str] | Unset): Allowed tools (Read, Grep, Bash, etc.)
        allow_agents (list[str] | Unset): Allowed agents to spawn
        allow_skills (list[str] | Unset): Allowed skills to invoke
        working_directory (str | Unset): Working directory for task Default: '/project'.
        timeout (int | Unset): Seconds, at most the key's profile limit (403 over it) and 600 (500 over it). Default:
            300.
        max_cost (float | Unset): USD, at most the key's profile limit (403 over it) and $10 (500 over it). Default:
            1.0.
        model (ModelName | None | Unset): The model to run; omit or null to let the service choose.
        project_id (str | Unset): The project checked and charged (not the key's). Default: 'default'.
        api_key (str | Unset): API key for audit logging Default: 'default'.
    """

    description: str
    allow_tools: list[str] | Unset = UNSET
    allow_agents: list[str] | Unset = UNSET
    allow_skills: list[str] | Unset = UNSET
    working_directory: str | Unset = "/project"
    timeout: int | Unset = 300
    max_cost: float | Unset = 1.0
    model: ModelName | None | Unset = UNSET
    project_id: str | Unset = "default"
    api_key: str | Unset = "default"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        working_directory = self.working_directory

        timeout = self.timeout

        max_cost = self.max_cost

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ModelName):
            model = self.model.value
        else:
            model = self.model

        project_id = self.project_id

        api_key = self.api_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
            }
        )
        if allow_tools is not UNSET:
            field_dict["allow_tools"] = allow_tools
        if allow_agents is not UNSET:
            field_dict["allow_agents"] = allow_agents
        if allow_skills is not UNSET:
            field_dict["allow_skills"] = allow_skills
        if working_directory is not UNSET:
            field_dict["working_directory"] = working_directory
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if max_cost is not UNSET:
            field_dict["max_cost"] = max_cost
        if model is not UNSET:
            field_dict["model"] = model
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if api_key is not UNSET:
            field_dict["api_key"] = api_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        allow_tools = cast(list[str], d.pop("allow_tools", UNSET))

        allow_agents = cast(list[str], d.pop("allow_agents", UNSET))

        allow_skills = cast(list[str], d.pop("allow_skills", UNSET))

        working_directory = d.pop("working_directory", UNSET)

        timeout = d.pop("timeout", UNSET)

        max_cost = d.pop("max_cost", UNSET)

        def _parse_model(data: object) -> ModelName | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_type_0 = ModelName(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelName | None | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        project_id = d.pop("project_id", UNSET)

        api_key = d.pop("api_key", UNSET)

        agentic_task_request = cls(
            description=description,
            allow_tools=allow_tools,
            allow_agents=allow_agents,
            allow_skills=allow_skills,
            working_directory=working_directory,
            timeout=timeout,
            max_cost=max_cost,
            model=model,
            project_id=project_id,
            api_key=api_key,
        )

        agentic_task_request.additional_properties = d
        return agentic_task_request

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
