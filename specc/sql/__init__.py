"""SQL text from the document: PostgreSQL's lexical rules and the checks that keep a fragment in its place."""
