from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.execution_log_entry_details import ExecutionLogEntryDetails


T = TypeVar("T", bound="ExecutionLogEntry")


@_attrs_define
class ExecutionLogEntry:
    """Single entry in execution log.

    Attributes:
        step (int):
        timestamp (str):
        action (str):
        details (ExecutionLogEntryDetails):
    """

    step: int
    timestamp: str
    action: str
    details: ExecutionLogEntryDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        step = self.step

        timestamp = self.timestamp

        action = self.action

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "step": step,
                "timestamp": timestamp,
                "action": action,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.execution_log_entry_details import ExecutionLogEntryDetails  # noqa: PLC0415

        d = dict(src_dict)
        step = d.pop("step")

        timestamp = d.pop("timestamp")

        action = d.pop("action")

        details = ExecutionLogEntryDetails.from_dict(d.pop("details"))

        execution_log_entry = cls(
            step=step,
            timestamp=timestamp,
            action=action,
            details=details,
        )

        execution_log_entry.additional_properties = d
        return execution_log_entry

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
