"""The documentation site writer (`specc docs`): an mkdocs-material site of the design that builds and is
viewed without network access."""
