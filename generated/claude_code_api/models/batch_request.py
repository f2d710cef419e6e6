from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_name import ModelName
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_prompt import BatchPrompt


T = TypeVar("T", bound="BatchRequest")


@_attrs_define
class BatchRequest:
    """Request model for batch processing.

    Attributes:
        prompts (list[BatchPrompt]): List of prompts to process
        model (ModelName | None | Unset): The model for every prompt; omit or null to let the service choose.
        timeout (float | Unset): Per-prompt server-side limit in seconds. Default: 30.0.
    """

    prompts: list[BatchPrompt]
    model: ModelName | None | Unset = UNSET
    timeout: float | Unset = 30.0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompts = []
        for prompts_item_data in self.prompts:
            prompts_item = prompts_item_data.to_dict()
            prompts.append(prompts_item)

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, ModelName):
            model = self.model.value
        else:
            model = self.model

        timeout = self.timeout

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompts": prompts,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if timeout is not UNSET:
            field_dict["timeout"] = timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_prompt import BatchPrompt  # noqa: PLC0415

        d = dict(src_dict)
        prompts = []
        _prompts = d.pop("prompts")
        for prompts_item_data in _prompts:
            prompts_item = BatchPrompt.from_dict(prompts_item_data)

            prompts.append(prompts_item)

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

        timeout = d.pop("timeout", UNSET)

        batch_request = cls(
            prompts=prompts,
            model=model,
            timeout=timeout,
        )

        batch_request.additional_properties = d
        return batch_request

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
