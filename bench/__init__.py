"""reader's benchmark suite: ``python -m bench`` (or ``python bench/run.py``) prints one table.

Not part of the test suite: figures are measured, never asserted. ``bench/harness.py``
holds what every figure shares, ``bench/figures/`` one module per figure.
"""
