"""Diagnostic codes of the migration planner (M0xx)."""

from __future__ import annotations

from specc.diagnostics import Severity, register_code

REVISION_EDITED = register_code(
    "M001",
    Severity.ERROR,
    "Revision file edited after specc wrote it",
    "A migration is never edited after it is applied: a new one is created. specc records the hash of "
    "every revision file it writes in `specc.lock.json`; this file no longer matches. Restore the file (for "
    "example from version control) and change the spec instead: the next `specc build` writes a new "
    "revision.",
    "generated/migrations/versions/0002_add_rooms_topic.py: upgrade() changed by hand",
)
REVISION_DELETED = register_code(
    "M002",
    Severity.ERROR,
    "Revision file deleted",
    "A revision recorded in `specc.lock.json` is missing from `migrations/versions/`. Databases that applied "
    "it cannot be migrated further without it. Restore the file from version control.",
)
REVISION_UNKNOWN = register_code(
    "M003",
    Severity.WARNING,
    "Revision file specc did not write",
    "`migrations/versions/` holds a file that is not in `specc.lock.json`. specc leaves it alone, but the "
    "revisions it writes do not build on it: make sure Alembic still sees a single head.",
)
LOCK_MISSING = register_code(
    "M004",
    Severity.ERROR,
    "Lock file missing",
    "`migrations/versions/` holds revisions but `specc.lock.json` is gone, so specc cannot know the schema "
    "at the head revision. Restore the lock file from version control.",
)
LOCK_UNREADABLE = register_code(
    "M005",
    Severity.ERROR,
    "Lock file unreadable",
    "`specc.lock.json` is not valid JSON of the expected shape (edited by hand, or a merge conflict). "
    "Restore it from version control.",
)
DESTRUCTIVE_CHANGE = register_code(
    "M010",
    Severity.ERROR,
    "Destructive schema change",
    "The change since the last revision puts data at risk: dropping a table or column, narrowing a column "
    "type, removing enum values, making a column NOT NULL without a default, or adding a NOT NULL column "
    "without a default to an existing table (the upgrade fails once the table has rows). If that is "
    "intended, run "
    "`specc build --allow-destructive`. To rename instead of drop + add, write `renamed from <old_name>` in "
    "the column's Constraints cell, or end the table heading with `(renamed from <old_name>)`.",
    "| title | VARCHAR(50) | NOT NULL |   (was VARCHAR(200))",
)
LOCK_UNSAFE_SQL = register_code(
    "M011",
    Severity.ERROR,
    "Lock file holds SQL that is not one expression",
    "`specc.lock.json` records the schema of every revision, DEFAULT and CHECK expressions and type names "
    "included, and the next revision is planned from it: an old default or check comes back in its "
    "`downgrade()` (or in the `UPDATE` that fills a column made NOT NULL). The lock is a committed file that "
    "any pull request can edit, so its SQL is checked with the same rules as the document's (S001, S002, "
    "S003), and its index methods must be ones the database has (a method reaches the DDL unquoted). A lock "
    "that fails them was edited by hand: restore it from version control. This error cannot be disabled.",
    '"default": "0); DROP TABLE users; --"',
)
LOCK_CHAIN_BROKEN = register_code(
    "M012",
    Severity.ERROR,
    "Lock file's revision history is broken",
    "`specc.lock.json` lists the revisions in the order specc wrote them: the n-th has the id `<n as four "
    "digits>_<slug>`, revises the one before it (the first revises nothing), is stored in "
    "`migrations/versions/<id>.py`, and that file declares the same `revision` and `down_revision`. This "
    "lock says otherwise (revisions swapped or renamed by hand, or a bad merge of two branches that each "
    "added a revision), so specc plans nothing: a revision built on the wrong head would fork the Alembic "
    "history. Restore the lock (and the revision files) from version control. After merging two branches "
    "that each added a revision, keep one branch's lock and revisions and run `specc build` again: it "
    "writes one revision with the other branch's changes.",
    '"revisions": [{"id": "0001_initial", ...}, {"id": "0003_add_users_c", ...}, {"id": "0002_add_users_b", '
    "...}]",
)
REVISION_FORKS = register_code(
    "M013",
    Severity.ERROR,
    "A revision specc did not write revises the head",
    "`migrations/versions/` holds a revision file that is not in `specc.lock.json` (see M003) and whose "
    "`down_revision` is specc's head revision. Any revision specc adds would give Alembic two heads, so "
    "nothing is planned. Put that revision's changes into the spec and delete the file (specc then writes "
    "them as its next revision), or move the file out of `migrations/versions/`.",
)
