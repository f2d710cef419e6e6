"""claude-code-client: the Python client for the Claude Code API Service.

The public surface is re-exported here; every other module is private.
"""

from claude_client._version import __version__

__all__ = ["__version__"]
