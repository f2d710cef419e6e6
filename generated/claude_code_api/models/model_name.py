from enum import StrEnum


class ModelName(StrEnum):
    HAIKU = "haiku"
    OPUS = "opus"
    SONNET = "sonnet"

    def __str__(self) -> str:
        return str(self.value)
