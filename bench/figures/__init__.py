"""One module per figure of ``python -m bench``; each ``figure_*`` function takes the
run's ``Workspace`` and returns its table rows, each next to a same-run baseline."""
