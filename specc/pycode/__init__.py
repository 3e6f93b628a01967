"""Writing Python source: what every writer of generated Python (models, schemas, migrations, runtime) shares.

- `literals`: text from the document as string literals, docstrings and comments (`py_str`, ...);
- `layout`: expressions laid out on lines the way `ruff format` lays them out, at any line length
  (`Call`, `layout`, `statement_lines`, `call`);
- `imports`: import statements (`PyImport`) and import blocks sorted the way ruff's isort sorts them
  (`import_lines`), names ordered by type (`member_key`, `all_key`).
"""
