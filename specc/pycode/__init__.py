"""Writing Python source: what every writer of generated Python (models, schemas, migrations, runtime) shares.

- `literals`: text from the document as string literals, docstrings and comments (`py_str`, ...).
"""
