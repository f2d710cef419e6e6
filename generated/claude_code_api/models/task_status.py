from enum import StrEnum


class TaskStatus(StrEnum):
    COMPLETED = "completed"
    COST_EXCEEDED = "cost_exceeded"
    FAILED = "failed"
    TIMEOUT = "timeout"

    def __str__(self) -> str:
        return str(self.value)
