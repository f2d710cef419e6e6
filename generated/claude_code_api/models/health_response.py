from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_response_services import HealthResponseServices


T = TypeVar("T", bound="HealthResponse")


@_attrs_define
class HealthResponse:
    """Generation 1: `{"status": "ok", "version": ..., "services": {"worker_pool": "running",
    "budget_manager": "initialized", ...}}`. Generation 2: each service is a
    `ServiceHealth` object, plus `redis` and `audit_db` entries and `uptime_seconds`; the
    top-level `status` is "degraded" whenever Redis is absent (a normal setup).

        Attributes:
            status (str): "ok"; generation 2 also "degraded". Read the services, not only this.
            version (str):
            services (HealthResponseServices):
            uptime_seconds (float | None | Unset): Generation 2 only.
    """

    status: str
    version: str
    services: HealthResponseServices
    uptime_seconds: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        version = self.version

        services = self.services.to_dict()

        uptime_seconds: float | None | Unset
        if isinstance(self.uptime_seconds, Unset):
            uptime_seconds = UNSET
        else:
            uptime_seconds = self.uptime_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "version": version,
                "services": services,
            }
        )
        if uptime_seconds is not UNSET:
            field_dict["uptime_seconds"] = uptime_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_response_services import HealthResponseServices  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        version = d.pop("version")

        services = HealthResponseServices.from_dict(d.pop("services"))

        def _parse_uptime_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        uptime_seconds = _parse_uptime_seconds(d.pop("uptime_seconds", UNSET))

        health_response = cls(
            status=status,
            version=version,
            services=services,
            uptime_seconds=uptime_seconds,
        )

        health_response.additional_properties = d
        return health_response

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
