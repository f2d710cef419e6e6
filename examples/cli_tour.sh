#!/usr/bin/env bash
# A tour of the claude-client command line (pip install "claude-code-client[cli]"):
#   CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... bash examples/cli_tour.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

claude-client health
claude-client complete "list three colors" --model haiku
echo "count to five" | claude-client complete --model haiku        # the prompt from stdin
claude-client stream "Tell me a story about a whale" --model sonnet # tokens as they arrive
claude-client route "analyze this architecture"                     # runs nothing
claude-client route "list three colors" --context-size 20000 --json # or: claude-client --json route ...
claude-client usage --period month

# A JSONL file in chunks; results are appended to the output as they arrive. The summary
# goes to stderr. Running it again resumes: ids already completed are not sent again.
claude-client batch "$here/prompts.jsonl" --output results.jsonl --model haiku \
    --chunk-size 4 --concurrency 2 --max-cost 0.01 --no-progress
claude-client batch "$here/prompts.jsonl" --output results.jsonl --model haiku --no-progress
echo "results.jsonl has $(wc -l < results.jsonl) lines"

# Errors: one line on stderr, and an exit code that says what went wrong.
set +e
claude-client complete "hello" --model gpt-4
echo "unknown model: exit code $?"
claude-client --api-key cc_not_a_key complete "hello"
echo "wrong key: exit code $?"
claude-client --base-url http://127.0.0.1:9 health
echo "no service: exit code $?"
