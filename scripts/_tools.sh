# Sourced by the scripts that need the dev tools (openapi-python-client, oas-patch, ruff): puts
# the project's .venv first on PATH, and makes it with scripts/bootstrap when neither it nor the
# calling environment has them, so the scripts work in a fresh clone without an activated venv.
# Expects $root (the repository). Sets $python.
if [ -x "$root/.venv/bin/python" ]; then
    PATH="$root/.venv/bin:$PATH"
fi
_tools_ready() {
    command -v openapi-python-client >/dev/null 2>&1 && command -v ruff >/dev/null 2>&1 \
        && python -c 'import oas_patch, yaml, httpx' >/dev/null 2>&1
}
if ! _tools_ready; then
    echo "$(basename "$0"): installing the dev tools into .venv (scripts/bootstrap)..." >&2
    "$root/scripts/bootstrap" >&2
    PATH="$root/.venv/bin:$PATH"
fi
export PATH
python="$(command -v python)"
