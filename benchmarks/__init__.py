"""Speed benchmarks for the NET checker: engine, app rerun, browser click, load, cold start.

Run with ``python -m benchmarks [--quick] [--replicas N] [--out FILE]``; see benchmarks/README.md.
"""
