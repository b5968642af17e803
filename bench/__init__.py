"""reader's benchmark suite: ``python -m bench`` (or ``python bench/run.py``) prints one table.

Not part of the test suite: figures are measured, never asserted (see ``bench/run.py``).
"""
