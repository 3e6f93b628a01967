"""The database layer: one database-level model and everything that produces or knows about it.

- `model`: `DbSchema` (tables, columns, constraints, indexes, enums), the model every reader produces, the
  lock file stores and the differ compares.
- `lower`: spec → `DbSchema`; `catalog`: live database → `DbSchema`, straight from the catalog (what drift
  and `migrate verify` read); `reflect`: the same through SQLAlchemy's reflection (the reference `catalog`
  is tested against); `metadata`: SQLAlchemy `MetaData` → `DbSchema`. One reader per source, each
  producing the same model.
- `conventions` and `names`: the rules and derived names a spec's tables get in the database (shared with
  the models writer, so models, migrations and readers cannot disagree).
- `dialect`: the database's facts (identifier length, type families and casts, widening, index methods) as
  declarative maps in a `Dialect` object; `POSTGRESQL` is the one implementation.
"""
