"""Benchmarks and load tests of Engage: ``bench/run.py``, ``bench/generate.py`` and the load runner."""
