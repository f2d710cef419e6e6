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

from ..models.task_status import TaskStatus

if TYPE_CHECKING:
    from ..models.artifact import Artifact
    from ..models.execution_log_entry import ExecutionLogEntry
    from ..models.task_result import TaskResult
    from ..models.task_usage import TaskUsage


T = TypeVar("T", bound="StreamResultFrame")


@_attrs_define
class StreamResultFrame:
    """The end of an agentic task; the same fields as `AgenticTaskResponse` without `task_id`.

    Attributes:
        type_ (Literal['result']):
        status (TaskStatus): How an agentic task ended. `failed` with `result.error` "Insufficient budget" means the
            body's project has no budget left (nothing ran); `cost_exceeded` means it ran, cost
            more than `max_cost` and was not charged.
        result (TaskResult): What a task produced. `completed`: `summary` (the first 1000 characters),
            `full_output`, `workspace_directory`. `failed` and `cost_exceeded`: `error`, and for
            `cost_exceeded` `output` (the first 500 characters).
        execution_log (list[ExecutionLogEntry]):
        artifacts (list[Artifact]):
        usage (TaskUsage): Tokens and cost of a task. A task that ran has the token counts, `total_cost`,
            `model_used` and (`completed`) `duration_seconds`; a budget refusal has only
            `estimated_tokens`.
    """

    type_: Literal["result"]
    status: TaskStatus
    result: TaskResult
    execution_log: list[ExecutionLogEntry]
    artifacts: list[Artifact]
    usage: TaskUsage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        status = self.status.value

        result = self.result.to_dict()

        execution_log = []
        for execution_log_item_data in self.execution_log:
            execution_log_item = execution_log_item_data.to_dict()
            execution_log.append(execution_log_item)

        artifacts = []
        for artifacts_item_data in self.artifacts:
            artifacts_item = artifacts_item_data.to_dict()
            artifacts.append(artifacts_item)

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "status": status,
                "result": result,
                "execution_log": execution_log,
                "artifacts": artifacts,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.artifact import Artifact  # noqa: PLC0415
        from ..models.execution_log_entry import ExecutionLogEntry  # noqa: PLC0415
        from ..models.task_result import TaskResult  # noqa: PLC0415
        from ..models.task_usage import TaskUsage  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["result"], d.pop("type"))
        if type_ != "result":
            raise ValueError(f"type must match const 'result', got '{type_}'")

        status = TaskStatus(d.pop("status"))

        result = TaskResult.from_dict(d.pop("result"))

        execution_log = []
        _execution_log = d.pop("execution_log")
        for execution_log_item_data in _execution_log:
            execution_log_item = ExecutionLogEntry.from_dict(execution_log_item_data)

            execution_log.append(execution_log_item)

        artifacts = []
        _artifacts = d.pop("artifacts")
        for artifacts_item_data in _artifacts:
            artifacts_item = Artifact.from_dict(artifacts_item_data)

            artifacts.append(artifacts_item)

        usage = TaskUsage.from_dict(d.pop("usage"))

        stream_result_frame = cls(
            type_=type_,
            status=status,
            result=result,
            execution_log=execution_log,
            artifacts=artifacts,
            usage=usage,
        )

        stream_result_frame.additional_properties = d
        return stream_result_frame

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
