from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskResult")


@_attrs_define
class TaskResult:
    """What a task produced. `completed`: `summary` (the first 1000 characters),
    `full_output`, `workspace_directory`. `failed` and `cost_exceeded`: `error`, and for
    `cost_exceeded` `output` (the first 500 characters).

        Attributes:
            summary (str | Unset):
            full_output (str | Unset):
            workspace_directory (str | Unset):
            error (str | Unset):
            output (str | Unset):
    """

    summary: str | Unset = UNSET
    full_output: str | Unset = UNSET
    workspace_directory: str | Unset = UNSET
    error: str | Unset = UNSET
    output: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        full_output = self.full_output

        workspace_directory = self.workspace_directory

        error = self.error

        output = self.output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if summary is not UNSET:
            field_dict["summary"] = summary
        if full_output is not UNSET:
            field_dict["full_output"] = full_output
        if workspace_directory is not UNSET:
            field_dict["workspace_directory"] = workspace_directory
        if error is not UNSET:
            field_dict["error"] = error
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        summary = d.pop("summary", UNSET)

        full_output = d.pop("full_output", UNSET)

        workspace_directory = d.pop("workspace_directory", UNSET)

        error = d.pop("error", UNSET)

        output = d.pop("output", UNSET)

        task_result = cls(
            summary=summary,
            full_output=full_output,
            workspace_directory=workspace_directory,
            error=error,
            output=output,
        )

        task_result.additional_properties = d
        return task_result

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
