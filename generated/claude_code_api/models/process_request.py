from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.process_message import ProcessMessage
    from ..models.process_request_additional_params_type_0 import (
        ProcessRequestAdditionalParamsType0,
    )
    from ..models.process_request_media_content_type_0_item import (
        ProcessRequestMediaContentType0Item,
    )
    from ..models.process_request_memory_type_0 import ProcessRequestMemoryType0
    from ..models.process_request_output_schema_type_0 import (
        ProcessRequestOutputSchemaType0,
    )
    from ..models.process_request_tools_type_0_item import ProcessRequestToolsType0Item


T = TypeVar("T", bound="ProcessRequest")


@_attrs_define
class ProcessRequest:
    """AI Services compatible request format.

    This mirrors the production ai-services API but only supports Claude Code.

        Attributes:
            provider (str): Any value is accepted; the answer echoes it.
            model_name (str): Model name (maps to haiku/sonnet/opus)
            messages (list[ProcessMessage] | None | Unset): Full conversation history
            system_message (None | str | Unset): System prompt
            user_message (None | str | Unset): User input
            content (Any | None | Unset): Multimodal content (text only for Claude Code)
            max_tokens (int | None | Unset): Maximum tokens to generate Default: 1000.
            temperature (float | None | Unset): Sampling temperature Default: 0.7.
            async_processing (bool | Unset): Use async task queue Default: False.
            additional_params (None | ProcessRequestAdditionalParamsType0 | Unset): Additional parameters (stream, etc.)
            tools (list[ProcessRequestToolsType0Item] | None | Unset): Tool calling (not supported)
            tool_choice (None | str | Unset): Tool selection (not supported)
            output_schema (None | ProcessRequestOutputSchemaType0 | Unset): Structured outputs (not supported)
            media_content (list[ProcessRequestMediaContentType0Item] | None | Unset): Multimodal content (not supported)
            memory (None | ProcessRequestMemoryType0 | Unset): Memory management (not supported)
            use_cli (bool | Unset): Run the Claude CLI (true) instead of the Anthropic SDK (false, the default), which
                fails with a 500 when the service has no API key.
                 Default: False.
            project_id (str | Unset): The project checked and charged (not the key's). Never null: a null answers a
                plain-text 500 after the task ran.
                 Default: 'default'.
    """

    provider: str
    model_name: str
    messages: list[ProcessMessage] | None | Unset = UNSET
    system_message: None | str | Unset = UNSET
    user_message: None | str | Unset = UNSET
    content: Any | None | Unset = UNSET
    max_tokens: int | None | Unset = 1000
    temperature: float | None | Unset = 0.7
    async_processing: bool | Unset = False
    additional_params: None | ProcessRequestAdditionalParamsType0 | Unset = UNSET
    tools: list[ProcessRequestToolsType0Item] | None | Unset = UNSET
    tool_choice: None | str | Unset = UNSET
    output_schema: None | ProcessRequestOutputSchemaType0 | Unset = UNSET
    media_content: list[ProcessRequestMediaContentType0Item] | None | Unset = UNSET
    memory: None | ProcessRequestMemoryType0 | Unset = UNSET
    use_cli: bool | Unset = False
    project_id: str | Unset = "default"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.process_request_additional_params_type_0 import (
            ProcessRequestAdditionalParamsType0,  # noqa: PLC0415
        )
        from ..models.process_request_memory_type_0 import ProcessRequestMemoryType0  # noqa: PLC0415
        from ..models.process_request_output_schema_type_0 import (
            ProcessRequestOutputSchemaType0,  # noqa: PLC0415
        )

        provider = self.provider

        model_name = self.model_name

        messages: list[dict[str, Any]] | None | Unset
        if isinstance(self.messages, Unset):
            messages = UNSET
        elif isinstance(self.messages, list):
            messages = []
            for messages_type_0_item_data in self.messages:
                messages_type_0_item = messages_type_0_item_data.to_dict()
                messages.append(messages_type_0_item)

        else:
            messages = self.messages

        system_message: None | str | Unset
        if isinstance(self.system_message, Unset):
            system_message = UNSET
        else:
            system_message = self.system_message

        user_message: None | str | Unset
        if isinstance(self.user_message, Unset):
            user_message = UNSET
        else:
            user_message = self.user_message

        content: Any | None | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        max_tokens: int | None | Unset
        if isinstance(self.max_tokens, Unset):
            max_tokens = UNSET
        else:
            max_tokens = self.max_tokens

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        async_processing = self.async_processing

        additional_params: dict[str, Any] | None | Unset
        if isinstance(self.additional_params, Unset):
            additional_params = UNSET
        elif isinstance(self.additional_params, ProcessRequestAdditionalParamsType0):
            additional_params = self.additional_params.to_dict()
        else:
            additional_params = self.additional_params

        tools: list[dict[str, Any]] | None | Unset
        if isinstance(self.tools, Unset):
            tools = UNSET
        elif isinstance(self.tools, list):
            tools = []
            for tools_type_0_item_data in self.tools:
                tools_type_0_item = tools_type_0_item_data.to_dict()
                tools.append(tools_type_0_item)

        else:
            tools = self.tools

        tool_choice: None | str | Unset
        if isinstance(self.tool_choice, Unset):
            tool_choice = UNSET
        else:
            tool_choice = self.tool_choice

        output_schema: dict[str, Any] | None | Unset
        if isinstance(self.output_schema, Unset):
            output_schema = UNSET
        elif isinstance(self.output_schema, ProcessRequestOutputSchemaType0):
            output_schema = self.output_schema.to_dict()
        else:
            output_schema = self.output_schema

        media_content: list[dict[str, Any]] | None | Unset
        if isinstance(self.media_content, Unset):
            media_content = UNSET
        elif isinstance(self.media_content, list):
            media_content = []
            for media_content_type_0_item_data in self.media_content:
                media_content_type_0_item = media_content_type_0_item_data.to_dict()
                media_content.append(media_content_type_0_item)

        else:
            media_content = self.media_content

        memory: dict[str, Any] | None | Unset
        if isinstance(self.memory, Unset):
            memory = UNSET
        elif isinstance(self.memory, ProcessRequestMemoryType0):
            memory = self.memory.to_dict()
        else:
            memory = self.memory

        use_cli = self.use_cli

        project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model_name": model_name,
            }
        )
        if messages is not UNSET:
            field_dict["messages"] = messages
        if system_message is not UNSET:
            field_dict["system_message"] = system_message
        if user_message is not UNSET:
            field_dict["user_message"] = user_message
        if content is not UNSET:
            field_dict["content"] = content
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if async_processing is not UNSET:
            field_dict["async_processing"] = async_processing
        if additional_params is not UNSET:
            field_dict["additional_params"] = additional_params
        if tools is not UNSET:
            field_dict["tools"] = tools
        if tool_choice is not UNSET:
            field_dict["tool_choice"] = tool_choice
        if output_schema is not UNSET:
            field_dict["output_schema"] = output_schema
        if media_content is not UNSET:
            field_dict["media_content"] = media_content
        if memory is not UNSET:
            field_dict["memory"] = memory
        if use_cli is not UNSET:
            field_dict["use_cli"] = use_cli
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.process_message import ProcessMessage  # noqa: PLC0415
        from ..models.process_request_additional_params_type_0 import (
            ProcessRequestAdditionalParamsType0,  # noqa: PLC0415
        )
        from ..models.process_request_media_content_type_0_item import (
            ProcessRequestMediaContentType0Item,  # noqa: PLC0415
        )
        from ..models.process_request_memory_type_0 import ProcessRequestMemoryType0  # noqa: PLC0415
        from ..models.process_request_output_schema_type_0 import (
            ProcessRequestOutputSchemaType0,  # noqa: PLC0415
        )
        from ..models.process_request_tools_type_0_item import (
            ProcessRequestToolsType0Item,  # noqa: PLC0415
        )

        d = dict(src_dict)
        provider = d.pop("provider")

        model_name = d.pop("model_name")

        def _parse_messages(data: object) -> list[ProcessMessage] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                messages_type_0 = []
                _messages_type_0 = data
                for messages_type_0_item_data in _messages_type_0:
                    messages_type_0_item = ProcessMessage.from_dict(
                        messages_type_0_item_data
                    )

                    messages_type_0.append(messages_type_0_item)

                return messages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProcessMessage] | None | Unset, data)

        messages = _parse_messages(d.pop("messages", UNSET))

        def _parse_system_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        system_message = _parse_system_message(d.pop("system_message", UNSET))

        def _parse_user_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_message = _parse_user_message(d.pop("user_message", UNSET))

        def _parse_content(data: object) -> Any | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Any | None | Unset, data)

        content = _parse_content(d.pop("content", UNSET))

        def _parse_max_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_tokens = _parse_max_tokens(d.pop("max_tokens", UNSET))

        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))

        async_processing = d.pop("async_processing", UNSET)

        def _parse_additional_params(
            data: object,
        ) -> None | ProcessRequestAdditionalParamsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                additional_params_type_0 = (
                    ProcessRequestAdditionalParamsType0.from_dict(data)
                )

                return additional_params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessRequestAdditionalParamsType0 | Unset, data)

        additional_params = _parse_additional_params(d.pop("additional_params", UNSET))

        def _parse_tools(
            data: object,
        ) -> list[ProcessRequestToolsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tools_type_0 = []
                _tools_type_0 = data
                for tools_type_0_item_data in _tools_type_0:
                    tools_type_0_item = ProcessRequestToolsType0Item.from_dict(
                        tools_type_0_item_data
                    )

                    tools_type_0.append(tools_type_0_item)

                return tools_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProcessRequestToolsType0Item] | None | Unset, data)

        tools = _parse_tools(d.pop("tools", UNSET))

        def _parse_tool_choice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tool_choice = _parse_tool_choice(d.pop("tool_choice", UNSET))

        def _parse_output_schema(
            data: object,
        ) -> None | ProcessRequestOutputSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_schema_type_0 = ProcessRequestOutputSchemaType0.from_dict(data)

                return output_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessRequestOutputSchemaType0 | Unset, data)

        output_schema = _parse_output_schema(d.pop("output_schema", UNSET))

        def _parse_media_content(
            data: object,
        ) -> list[ProcessRequestMediaContentType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                media_content_type_0 = []
                _media_content_type_0 = data
                for media_content_type_0_item_data in _media_content_type_0:
                    media_content_type_0_item = (
                        ProcessRequestMediaContentType0Item.from_dict(
                            media_content_type_0_item_data
                        )
                    )

                    media_content_type_0.append(media_content_type_0_item)

                return media_content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProcessRequestMediaContentType0Item] | None | Unset, data)

        media_content = _parse_media_content(d.pop("media_content", UNSET))

        def _parse_memory(data: object) -> None | ProcessRequestMemoryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                memory_type_0 = ProcessRequestMemoryType0.from_dict(data)

                return memory_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessRequestMemoryType0 | Unset, data)

        memory = _parse_memory(d.pop("memory", UNSET))

        use_cli = d.pop("use_cli", UNSET)

        project_id = d.pop("project_id", UNSET)

        process_request = cls(
            provider=provider,
            model_name=model_name,
            messages=messages,
            system_message=system_message,
            user_message=user_message,
            content=content,
            max_tokens=max_tokens,
            temperature=temperature,
            async_processing=async_processing,
            additional_params=additional_params,
            tools=tools,
            tool_choice=tool_choice,
            output_schema=output_schema,
            media_content=media_content,
            memory=memory,
            use_cli=use_cli,
            project_id=project_id,
        )

        process_request.additional_properties = d
        return process_request

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
