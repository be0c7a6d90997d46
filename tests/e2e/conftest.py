"""Browser end-to-end tests.

``fixture_explorer.ipynb`` is input for ``test_browser.py`` (a copy of it is run in a real
JupyterLab), stored without outputs. It is not a chapter: keep nbval, which `make test` turns
on for every ``.ipynb`` under ``tests``, from collecting it.
"""

collect_ignore_glob = ["*.ipynb"]
