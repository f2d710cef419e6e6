"""Benchmarks of claude-code-client against raw httpx (run them with ``scripts/bench``).

Not tests: the figures depend on the machine. ``bench.run`` runs every benchmark, prints one
table and writes ``bench/RESULTS.md``.
"""
