from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agent_list_item import AgentListItem
    from ..models.skill_list_item import SkillListItem


T = TypeVar("T", bound="CapabilitiesResponse")


@_attrs_define
class CapabilitiesResponse:
    """Response listing available agents and skills.

    Attributes:
        agents (list[AgentListItem]):
        skills (list[SkillListItem]):
        agents_count (int):
        skills_count (int):
    """

    agents: list[AgentListItem]
    skills: list[SkillListItem]
    agents_count: int
    skills_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agents = []
        for agents_item_data in self.agents:
            agents_item = agents_item_data.to_dict()
            agents.append(agents_item)

        skills = []
        for skills_item_data in self.skills:
            skills_item = skills_item_data.to_dict()
            skills.append(skills_item)

        agents_count = self.agents_count

        skills_count = self.skills_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agents": agents,
                "skills": skills,
                "agents_count": agents_count,
                "skills_count": skills_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_list_item import AgentListItem  # noqa: PLC0415
        from ..models.skill_list_item import SkillListItem  # noqa: PLC0415

        d = dict(src_dict)
        agents = []
        _agents = d.pop("agents")
        for agents_item_data in _agents:
            agents_item = AgentListItem.from_dict(agents_item_data)

            agents.append(agents_item)

        skills = []
        _skills = d.pop("skills")
        for skills_item_data in _skills:
            skills_item = SkillListItem.from_dict(skills_item_data)

            skills.append(skills_item)

        agents_count = d.pop("agents_count")

        skills_count = d.pop("skills_count")

        capabilities_response = cls(
            agents=agents,
            skills=skills,
            agents_count=agents_count,
            skills_count=skills_count,
        )

        capabilities_response.additional_properties = d
        return capabilities_response

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
