"""`specc docs`: an mkdocs-material site from the IR (home, ER diagrams, a page per table, the API reference,
the test plan with case statuses, the diagnostics). See `specc.site.command` for what is written and how."""
