# ruff: noqa: E501
"""The OpenAPI document the real service serves at ``/openapi.json`` (observed, unmodified).

Kept verbatim so a tool pointed at the double (a generator, schemathesis) reads what it would
read from the service; the double re-renders it compactly, as FastAPI does.
"""

from __future__ import annotations

import json
from typing import Any, Final

_TEXT: Final = r"""{
 "openapi": "3.1.0",
 "info": {
  "title": "Claude Code API Service",
  "description": "API wrapper around Claude Code CLI for rapid prototyping",
  "version": "0.1.0"
 },
 "paths": {
  "/v1/chat/completions": {
   "post": {
    "tags": [
     "API"
    ],
    "summary": "Chat Completion",
    "description": "Generate a chat completion using Claude CLI.\n\n- Requires valid API key via Bearer token\n- Uses WorkerPool for process management\n- Auto-selects model if not specified\n- Tracks usage in BudgetManager\n- Returns completion + usage statistics",
    "operationId": "chat_completion_v1_chat_completions_post",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ChatCompletionRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ChatCompletionResponse"
        }
       }
      }
     },
     "422": {
      "description": "Validation Error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    },
    "security": [
     {
      "HTTPBearer": []
     }
    ]
   }
  },
  "/v1/batch": {
   "post": {
    "tags": [
     "API"
    ],
    "summary": "Batch Processing",
    "description": "Process multiple prompts in parallel using the worker pool.\n\n- Requires valid API key via Bearer token\n- Submits all prompts concurrently\n- Waits for all to complete\n- Returns aggregate statistics",
    "operationId": "batch_processing_v1_batch_post",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BatchRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BatchResponse"
        }
       }
      }
     },
     "422": {
      "description": "Validation Error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    },
    "security": [
     {
      "HTTPBearer": []
     }
    ]
   }
  },
  "/v1/usage": {
   "get": {
    "tags": [
     "API"
    ],
    "summary": "Get Usage",
    "description": "Get usage statistics for a project.\n\nQuery parameters:\n- project_id: Project identifier\n- period: Time period (month, week, day)\n\nReturns usage stats, costs, and budget information.",
    "operationId": "get_usage_v1_usage_get",
    "security": [
     {
      "HTTPBearer": []
     }
    ],
    "parameters": [
     {
      "name": "period",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "description": "Time period: month, week, or day",
       "default": "month",
       "title": "Period"
      },
      "description": "Time period: month, week, or day"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UsageResponse"
        }
       }
      }
     },
     "422": {
      "description": "Validation Error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    }
   }
  },
  "/v1/route": {
   "post": {
    "tags": [
     "API"
    ],
    "summary": "Route Recommendation",
    "description": "Get model routing recommendation for a prompt.\n\n- Requires valid API key via Bearer token\n- Tests the model routing logic and returns:\n- Recommended model\n- Reasoning for the selection\n- Current budget status",
    "operationId": "route_recommendation_v1_route_post",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/RouteRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/RouteResponse"
        }
       }
      }
     },
     "422": {
      "description": "Validation Error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HTTPValidationError"
        }
       }
      }
     }
    },
    "security": [
     {
      "HTTPBearer": []
     }
    ]
   }
  },
  "/health": {
   "get": {
    "summary": "Health",
    "description": "Health check endpoint",
    "operationId": "health_health_get",
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HealthResponse"
        }
       }
      }
     }
    }
   }
  },
  "/": {
   "get": {
    "summary": "Root",
    "description": "Root endpoint with API info",
    "operationId": "root__get",
    "responses": {
     "200": {
      "description": "Successful Response",
      "content": {
       "application/json": {
        "schema": {}
       }
      }
     }
    }
   }
  }
 },
 "components": {
  "schemas": {
   "BatchPrompt": {
    "properties": {
     "prompt": {
      "type": "string",
      "title": "Prompt",
      "description": "Prompt text"
     },
     "id": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Id",
      "description": "Optional identifier for this prompt"
     }
    },
    "type": "object",
    "required": [
     "prompt"
    ],
    "title": "BatchPrompt",
    "description": "Single prompt in a batch request."
   },
   "BatchRequest": {
    "properties": {
     "prompts": {
      "items": {
       "$ref": "#/components/schemas/BatchPrompt"
      },
      "type": "array",
      "title": "Prompts",
      "description": "List of prompts to process"
     },
     "model": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Model",
      "description": "Model to use for all prompts"
     },
     "timeout": {
      "type": "number",
      "maximum": 300.0,
      "minimum": 1.0,
      "title": "Timeout",
      "description": "Per-prompt timeout in seconds",
      "default": 30.0
     }
    },
    "type": "object",
    "required": [
     "prompts"
    ],
    "title": "BatchRequest",
    "description": "Request model for batch processing."
   },
   "BatchResponse": {
    "properties": {
     "total": {
      "type": "integer",
      "title": "Total"
     },
     "completed": {
      "type": "integer",
      "title": "Completed"
     },
     "failed": {
      "type": "integer",
      "title": "Failed"
     },
     "results": {
      "items": {
       "$ref": "#/components/schemas/BatchResult"
      },
      "type": "array",
      "title": "Results"
     },
     "total_cost": {
      "type": "number",
      "title": "Total Cost"
     },
     "total_tokens": {
      "type": "integer",
      "title": "Total Tokens"
     }
    },
    "type": "object",
    "required": [
     "total",
     "completed",
     "failed",
     "results",
     "total_cost",
     "total_tokens"
    ],
    "title": "BatchResponse",
    "description": "Response model for batch processing."
   },
   "BatchResult": {
    "properties": {
     "id": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Id",
      "description": "Prompt ID (if provided)"
     },
     "prompt": {
      "type": "string",
      "title": "Prompt"
     },
     "status": {
      "type": "string",
      "title": "Status"
     },
     "content": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Content"
     },
     "usage": {
      "anyOf": [
       {
        "$ref": "#/components/schemas/Usage"
       },
       {
        "type": "null"
       }
      ]
     },
     "cost": {
      "anyOf": [
       {
        "type": "number"
       },
       {
        "type": "null"
       }
      ],
      "title": "Cost"
     },
     "error": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Error"
     }
    },
    "type": "object",
    "required": [
     "prompt",
     "status"
    ],
    "title": "BatchResult",
    "description": "Result for a single batch item."
   },
   "ChatCompletionRequest": {
    "properties": {
     "messages": {
      "items": {
       "$ref": "#/components/schemas/Message"
      },
      "type": "array",
      "title": "Messages",
      "description": "Conversation messages"
     },
     "model": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ],
      "title": "Model",
      "description": "Model to use (haiku, sonnet, opus). If not provided, auto-selected."
     },
     "timeout": {
      "type": "number",
      "maximum": 300.0,
      "minimum": 1.0,
      "title": "Timeout",
      "description": "Request timeout in seconds",
      "default": 30.0
     },
     "max_tokens": {
      "anyOf": [
       {
        "type": "integer"
       },
       {
        "type": "null"
       }
      ],
      "title": "Max Tokens",
      "description": "Estimated context size for auto-routing"
     }
    },
    "type": "object",
    "required": [
     "messages"
    ],
    "title": "ChatCompletionRequest",
    "description": "Request model for chat completions."
   },
   "ChatCompletionResponse": {
    "properties": {
     "id": {
      "type": "string",
      "title": "Id",
      "description": "Unique task ID"
     },
     "model": {
      "type": "string",
      "title": "Model",
      "description": "Model used"
     },
     "content": {
      "type": "string",
      "title": "Content",
      "description": "Generated response"
     },
     "usage": {
      "$ref": "#/components/schemas/Usage"
     },
     "cost": {
      "type": "number",
      "title": "Cost",
      "description": "Cost in USD"
     },
     "project_id": {
      "type": "string",
      "title": "Project Id"
     }
    },
    "type": "object",
    "required": [
     "id",
     "model",
     "content",
     "usage",
     "cost",
     "project_id"
    ],
    "title": "ChatCompletionResponse",
    "description": "Response model for chat completions."
   },
   "HTTPValidationError": {
    "properties": {
     "detail": {
      "items": {
       "$ref": "#/components/schemas/ValidationError"
      },
      "type": "array",
      "title": "Detail"
     }
    },
    "type": "object",
    "title": "HTTPValidationError"
   },
   "HealthResponse": {
    "properties": {
     "status": {
      "type": "string",
      "title": "Status"
     },
     "version": {
      "type": "string",
      "title": "Version"
     },
     "services": {
      "type": "object",
      "title": "Services"
     }
    },
    "type": "object",
    "required": [
     "status",
     "version",
     "services"
    ],
    "title": "HealthResponse"
   },
   "Message": {
    "properties": {
     "role": {
      "type": "string",
      "title": "Role",
      "description": "Role: 'user', 'assistant', or 'system'"
     },
     "content": {
      "type": "string",
      "title": "Content",
      "description": "Message content"
     }
    },
    "type": "object",
    "required": [
     "role",
     "content"
    ],
    "title": "Message",
    "description": "Single message in a conversation."
   },
   "RouteRequest": {
    "properties": {
     "prompt": {
      "type": "string",
      "title": "Prompt",
      "description": "Task description/prompt"
     },
     "context_size": {
      "type": "integer",
      "minimum": 0.0,
      "title": "Context Size",
      "description": "Estimated context size in tokens",
      "default": 0
     }
    },
    "type": "object",
    "required": [
     "prompt"
    ],
    "title": "RouteRequest",
    "description": "Request model for model routing recommendation."
   },
   "RouteResponse": {
    "properties": {
     "recommended_model": {
      "type": "string",
      "title": "Recommended Model"
     },
     "reasoning": {
      "type": "string",
      "title": "Reasoning"
     },
     "budget_status": {
      "type": "object",
      "title": "Budget Status"
     }
    },
    "type": "object",
    "required": [
     "recommended_model",
     "reasoning",
     "budget_status"
    ],
    "title": "RouteResponse",
    "description": "Response model for routing recommendation."
   },
   "Usage": {
    "properties": {
     "input_tokens": {
      "type": "integer",
      "title": "Input Tokens"
     },
     "output_tokens": {
      "type": "integer",
      "title": "Output Tokens"
     },
     "total_tokens": {
      "type": "integer",
      "title": "Total Tokens"
     }
    },
    "type": "object",
    "required": [
     "input_tokens",
     "output_tokens",
     "total_tokens"
    ],
    "title": "Usage",
    "description": "Token usage statistics."
   },
   "UsageByModel": {
    "properties": {
     "tokens": {
      "type": "integer",
      "title": "Tokens"
     },
     "cost": {
      "type": "number",
      "title": "Cost"
     }
    },
    "type": "object",
    "required": [
     "tokens",
     "cost"
    ],
    "title": "UsageByModel",
    "description": "Usage stats for a single model."
   },
   "UsageResponse": {
    "properties": {
     "project_id": {
      "type": "string",
      "title": "Project Id"
     },
     "period": {
      "type": "string",
      "title": "Period"
     },
     "total_tokens": {
      "type": "integer",
      "title": "Total Tokens"
     },
     "total_cost": {
      "type": "number",
      "title": "Total Cost"
     },
     "by_model": {
      "additionalProperties": {
       "$ref": "#/components/schemas/UsageByModel"
      },
      "type": "object",
      "title": "By Model"
     },
     "limit": {
      "anyOf": [
       {
        "type": "integer"
       },
       {
        "type": "null"
       }
      ],
      "title": "Limit"
     },
     "remaining": {
      "anyOf": [
       {
        "type": "integer"
       },
       {
        "type": "null"
       }
      ],
      "title": "Remaining"
     }
    },
    "type": "object",
    "required": [
     "project_id",
     "period",
     "total_tokens",
     "total_cost",
     "by_model",
     "limit",
     "remaining"
    ],
    "title": "UsageResponse",
    "description": "Response model for usage statistics."
   },
   "ValidationError": {
    "properties": {
     "loc": {
      "items": {
       "anyOf": [
        {
         "type": "string"
        },
        {
         "type": "integer"
        }
       ]
      },
      "type": "array",
      "title": "Location"
     },
     "msg": {
      "type": "string",
      "title": "Message"
     },
     "type": {
      "type": "string",
      "title": "Error Type"
     }
    },
    "type": "object",
    "required": [
     "loc",
     "msg",
     "type"
    ],
    "title": "ValidationError"
   }
  },
  "securitySchemes": {
   "HTTPBearer": {
    "type": "http",
    "scheme": "bearer"
   }
  }
 }
}"""

SCHEMA: Final[dict[str, Any]] = json.loads(_TEXT)
DOCUMENT: Final = json.dumps(SCHEMA, separators=(",", ":"), ensure_ascii=False).encode()

#: A stand-in for FastAPI's Swagger UI and ReDoc pages (those load their scripts from a CDN).
DOCS_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Claude Code API Service - docs</title></head>"
    b"<body><p>This is the local service double. The API description is at "
    b'<a href="/openapi.json">/openapi.json</a>.</p></body></html>'
)
