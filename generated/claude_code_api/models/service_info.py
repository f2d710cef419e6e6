from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_info_endpoints import ServiceInfoEndpoints


T = TypeVar("T", bound="ServiceInfo")


@_attrs_define
class ServiceInfo:
    """
    Attributes:
        name (str):
        version (str):
        docs (str):
        health (str):
        endpoints (ServiceInfoEndpoints): Fixed text; names none of generation 2's new routes.
        ready (str | Unset): Generation 2 only.
    """

    name: str
    version: str
    docs: str
    health: str
    endpoints: ServiceInfoEndpoints
    ready: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        docs = self.docs

        health = self.health

        endpoints = self.endpoints.to_dict()

        ready = self.ready

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "docs": docs,
                "health": health,
                "endpoints": endpoints,
            }
        )
        if ready is not UNSET:
            field_dict["ready"] = ready

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_info_endpoints import ServiceInfoEndpoints  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        docs = d.pop("docs")

        health = d.pop("health")

        endpoints = ServiceInfoEndpoints.from_dict(d.pop("endpoints"))

        ready = d.pop("ready", UNSET)

        service_info = cls(
            name=name,
            version=version,
            docs=docs,
            health=health,
            endpoints=endpoints,
            ready=ready,
        )

        service_info.additional_properties = d
        return service_info

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
