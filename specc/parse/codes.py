"""Diagnostic codes reported while reading a document (P-codes)."""

from __future__ import annotations

from specc.diagnostics import Severity, register_code

INPUT_NOT_UTF8 = register_code(
    "P001",
    Severity.ERROR,
    "Document is not valid UTF-8",
    "specc reads documents as UTF-8. The file contains bytes that are not UTF-8; the location points at the "
    "first one. Re-save the file as UTF-8.",
)
INPUT_BINARY = register_code(
    "P002",
    Severity.ERROR,
    "Document is a binary file",
    "The file contains NUL bytes, so it is not a text document. Point specc at the markdown file.",
)
EMPTY_DOCUMENT = register_code(
    "P003",
    Severity.WARNING,
    "Document defines nothing",
    "No tables, endpoints or sections were found. Check that the path names the architecture document and "
    "that tables are not inside fenced code blocks.",
)
RAGGED_ROW = register_code(
    "P004",
    Severity.ERROR,
    "Table row has the wrong number of cells",
    "Every row of a markdown table must have as many cells as its header row. A missing or extra `|` shifts "
    "the cells, so a type could be read as a constraint. Escape a literal pipe as `\\|`.",
    "| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT |",
)
UNKNOWN_TYPE = register_code(
    "P005",
    Severity.WARNING,
    "Unknown column type",
    "The type is not one specc knows (PostgreSQL names and common MySQL/SQL Server spellings). It is kept "
    "verbatim in the IR, but writers cannot map it; use a PostgreSQL type.",
    "| tags | LIST | |",
)
UNKNOWN_CONSTRAINT = register_code(
    "P006",
    Severity.WARNING,
    "Unrecognised constraint",
    "A word in the Constraints cell is not a constraint specc understands (PK, UNIQUE, NOT NULL, NULL, "
    "indexed, auto-increment, DEFAULT <expr>, CHECK (<expr>), FK → table.column, REFERENCES table(column), "
    "ON DELETE/ON UPDATE <action>, renamed from <name>). It is ignored. Move prose to a Description column.",
    "| id | BIGINT | PK, magic |",
)
INVALID_JSON = register_code(
    "P007",
    Severity.ERROR,
    "Body is not valid JSON",
    "A Request Body or Response fence must hold one JSON value whose values are placeholders "
    '("string", 1, true, "user@example.com", nested objects and arrays). The parser message says where '
    "JSON parsing stopped.",
    '```json\n{ "email": string }\n```',
)
LENIENT_JSON = register_code(
    "P034",
    Severity.WARNING,
    "Body read leniently: comments or trailing commas",
    "A Request Body or Response fence holds `//` or `/* */` comments or a comma before `}` or `]`, which "
    "JSON does not allow (JSON5 and JavaScript do). specc reads the example without them; remove them to "
    "keep the example valid JSON for other tools.",
    '```json\n{\n  "name": "string", // shown in the room list\n}\n```',
)
EMPTY_PATH_PARAM = register_code(
    "P008",
    Severity.ERROR,
    "Path parameter has no name",
    "An endpoint path contains `{}` (or an unclosed `{`). Name every path parameter: `/api/rooms/{room_id}`.",
    "### GET /api/rooms/{}",
)
INDEX_UNKNOWN_TABLE = register_code(
    "P009",
    Severity.ERROR,
    "Index names a table that is not defined",
    "A row of the Indexes table (or an inline index list) names a table that has no column table in the "
    "document. Define the table, or fix the name.",
    "| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n| messages | room_id | BTREE | |",
)
UNRECOGNISED_RELATIONSHIP = register_code(
    "P010",
    Severity.WARNING,
    "Relationship line not understood",
    "Relationships are bullets of the form `users → rooms: one-to-many (why)` or `users ↔ rooms: "
    "many-to-many through room_members` (`->`, `1:N`, `N:M` also work). This bullet was skipped.",
    "- users own rooms",
)
UNRECOGNISED_INDEX = register_code(
    "P011",
    Severity.WARNING,
    "Index row not understood",
    "An Indexes row needs a table and at least one column; its Type must be UNIQUE, BTREE, GIN, GIST, HASH, "
    "BRIN or SPGIST (optionally `UNIQUE <method>`). The row was skipped or read with defaults.",
)
MISSING_COLUMN_NAME = register_code(
    "P012",
    Severity.WARNING,
    "Column row without a name",
    "A row of a column table has an empty name cell; it was skipped.",
)
BAD_STATUS = register_code(
    "P013",
    Severity.WARNING,
    "Response line without an HTTP status",
    "Error Responses are bullets that start with a status code: `- 404: Room not found`. This bullet was "
    "skipped.",
)
UNTABLED_COLUMNS = register_code(
    "P014",
    Severity.WARNING,
    "Column table without a table name",
    "A column table was found but no heading or caption above it names a table. Put it under a heading such "
    "as `### users`.",
)
BROKEN_TABLE = register_code(
    "P015",
    Severity.ERROR,
    "Table header and delimiter row do not match",
    "The lines look like a table, but the header row and the `| --- |` delimiter row have different numbers "
    "of cells, so markdown does not render it as a table and specc cannot read it.",
    "| Column | Type | Constraints |\n| --- | --- |",
)
BAD_DEFAULT = register_code(
    "P016",
    Severity.WARNING,
    "Default is not a PostgreSQL expression",
    "A DEFAULT (in the Constraints cell or a Default column) must be something PostgreSQL accepts: a quoted "
    "string, a number, true/false/null, or a PostgreSQL function call such as now() or gen_random_uuid(). "
    "Double-quoted text is read as a string, and a bare word is read as a string for text and enum columns. "
    "Anything else (a Python expression, a SQL Server function such as NEWID()) is ignored, so the column "
    "gets no default.",
    "| id | UUID | PK, DEFAULT NEWID() |",
)
NOT_A_TYPE = register_code(
    "P017",
    Severity.ERROR,
    "Type cell is not a column type",
    "The Type cell holds prose (`ISO 8601 string or null`, `list of ids`) rather than a type. Unknown "
    "type *names* (a user-defined enum or domain such as `user_role`) are kept verbatim with a warning "
    "(P005), but "
    "text that is not a type name cannot be generated. Write a PostgreSQL type and move the prose to a "
    "Description column.",
    "| started_at | ISO 8601 string or null | |",
)
ENUM_WITHOUT_VALUES = register_code(
    "P018",
    Severity.ERROR,
    "Enum type named without its values",
    "The Type cell says the column is an enum (`user_role (enum)`, `JobStatus enum`, `ENUM()`) but gives no "
    "values, so the generated migration could not create the type and CREATE TABLE would fail (and "
    "`ENUM()` would generate Python that does not compile). All schema changes go "
    "through the generated migrations (seed §7), so write the values in the cell: `ENUM('member','admin')`. "
    "A type that really is created outside specc can be written as a bare name (warning P005).",
    "| role | user_role (enum) | NOT NULL |",
)
OVER_LIMIT = register_code(
    "P021",
    Severity.ERROR,
    "Input over a documented limit",
    "specc bounds what one construct may hold, at sizes no real document reaches: JSON bodies nested at "
    "most 32 levels deep, numbers in a JSON body at most 100 characters long, at most 6 array dimensions "
    "in a column type (PostgreSQL's own limit for array values), at most 1,048,576 characters in one "
    "table cell or one JSON body. Input beyond a limit is not read (the limits keep every reader fast and "
    "its output valid); the location points at the construct that crossed it. The limits are listed in "
    "the document format guide.",
    '```json\n{"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n```',
)
NUMBER_OUT_OF_RANGE = register_code(
    "P022",
    Severity.ERROR,
    "JSON number out of range",
    "A number in a JSON body is too large (or, not zero, too small) for a double-precision float, so it "
    "would silently become infinity (written as `null`) or 0 in the generated schemas and OpenAPI "
    "document. Write an example value in range (about ±1.8e308, and not closer to 0 than about 5e-324).",
    '```json\n{ "ratio": 1e400 }\n```',
)
LONE_SURROGATE = register_code(
    "P023",
    Severity.ERROR,
    "JSON string holds a lone surrogate",
    "A `\\uD800`–`\\uDFFF` escape in a JSON string must be half of a surrogate pair (a high surrogate "
    "followed by a low one, such as `\\ud83d\\ude00`). Alone it names no character, so no file specc "
    "writes (UTF-8) can hold it. Write the character itself, or a complete pair.",
    '```json\n{ "name": "\\ud800" }\n```',
)
DUPLICATE_JSON_KEY = register_code(
    "P024",
    Severity.WARNING,
    "Duplicate key in a JSON object",
    "An object in a JSON body has the same key twice. JSON readers keep only the last value, so the "
    "first one is silently lost; specc does the same and reports it. Remove or rename one of the keys.",
    '```json\n{ "email": "string", "email": "user@example.com" }\n```',
)
TYPE_OUT_OF_RANGE = register_code(
    "P025",
    Severity.ERROR,
    "Column type PostgreSQL rejects",
    "A type parameter is outside the range PostgreSQL accepts, so the generated migration would fail: "
    "`VARCHAR(n)` and `CHAR(n)` need 1 ≤ n ≤ 10,485,760, `NUMERIC(p,s)` needs 1 ≤ p ≤ 1000 and "
    "s ≤ 1000, `VECTOR(n)` needs 1 ≤ n ≤ 16,000, and enum values must be distinct and at most 63 bytes "
    "long (UTF-8). The type is kept verbatim in the IR and nothing is generated.",
    "| name | VARCHAR(0) | NOT NULL |",
)
SQL_SCHEMA_NOT_READ = register_code(
    "P035",
    Severity.WARNING,
    "SQL schema statement not read",
    "A ```sql fence in the document holds `CREATE TABLE` statements, which specc reads as a schema source "
    "(like a column table). This statement could not be read as one table definition (a syntax error, or a "
    "construct specc does not turn into a column), so the part named in the message is left out. Fix the "
    "statement, or describe the table with a column table.",
    "```sql\nCREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE,);\n```",
)
DIAGRAM_NOT_READ = register_code(
    "P036",
    Severity.WARNING,
    "Diagram entity attribute not read",
    "A mermaid `erDiagram` block is read as a schema source: each entity with attributes is a table, each "
    'attribute line (`type name PK, FK, UK "comment"`) a column. This line could not be read as an '
    "attribute, so it is left out.",
    "```mermaid\nerDiagram\n    USERS {\n        uuid id PK\n        this is prose\n    }\n```",
)
TABLE_DEFINED_TWICE = register_code(
    "P037",
    Severity.WARNING,
    "Table defined by two schema sources that disagree",
    "The same table is defined by a column table and by a `CREATE TABLE` statement or an `erDiagram` "
    "entity (or by two of those). specc keeps the first definition by precedence — column table, then "
    "SQL, then diagram — and reports each difference it finds in the other one (a column only one of them "
    "has, a different type, key or nullability). Make the definitions agree, or keep one.",
    "### users\n\n| Column | Type |\n| --- | --- |\n| id | BIGINT |\n\n"
    "```sql\nCREATE TABLE users (id UUID);\n```",
)
UNCLEAR_REFERENCE = register_code(
    "P038",
    Severity.INFO,
    "Mention of another table not read as a foreign key",
    "A cell mentions a reference in prose (`References the invoice this pays`) but names no table specc "
    "can find: no `table.column`, no `table(column)`, no arrow (`→ table`), and no table of that name in "
    "the document. specc does not invent a table from prose, so no foreign key is made. Write "
    "`FK → invoices.id` to make one.",
    "| invoice_id | BIGINT | References the invoice this pays |",
)
COLUMN_NOT_USED = register_code(
    "P039",
    Severity.INFO,
    "Column of a column table not read",
    "The header of a column table has a column whose heading specc does not recognise (it reads names, "
    "types, constraints, keys, indexes, nullability, required, defaults, references and descriptions, in "
    "the languages listed in the document format guide). Its cells are not read. Rename the heading if it "
    "holds constraints, or ignore this note if it holds something else (traceability, ownership).",
    "| Column | Type | Owner |\n| --- | --- | --- |\n| id | BIGINT | platform team |",
)
TABLE_NOT_READ = register_code(
    "P040",
    Severity.WARNING,
    "Table looks like a column table but was not read",
    "A markdown table has a column of names and a column of SQL types, but specc did not read it as a "
    "table definition: its header words are not ones specc knows for a name and a type column, or it has "
    "no heading that names a table. The message says which. Use a header such as "
    "`| Column | Type | Constraints |` under a heading naming the table, or ignore this warning with "
    "`<!-- specc: ignore P040 -->` if the table is not a database table.",
    "### users\n\n| Key | Kind |\n| --- | --- |\n| id | BIGINT |\n| email | TEXT |",
)
NULLABILITY_RULE = register_code(
    "P041",
    Severity.INFO,
    "Document marks only the nullable columns: the others are NOT NULL",
    "Column tables in the document mark columns as nullable (`Nullable`, `NULL`, `text | null`, a "
    "Nullable column) and never mark one NOT NULL or required, or do so only as an exception: at least "
    "three nullable marks and five for each NOT NULL one. specc then reads the columns that say nothing as "
    "NOT NULL, for the whole document, and says so once with both counts. Mark more columns NOT NULL "
    "explicitly to read unmarked columns as nullable instead.",
    "| email | TEXT | |\n| bio | TEXT | nullable |",
)
CASE_ID = register_code(
    "P042",
    Severity.ERROR,
    "Test case id is malformed or used twice",
    "A test case may end with an explicit id, `{#room-name-too-long}`: a letter or digit, then up to 63 "
    'letters, digits, `.`, `_` or `-`. Tests link to a case by its id (`@pytest.mark.spec("...")`), so '
    "one id must name one case in the whole plan. An id that breaks these rules is not used: the case keeps "
    "the id derived from its text (feature / category / text slug), which changes when the text changes.",
    "- Returns 422 if room name exceeds 100 characters {#room-name-too-long}\n"
    "- Returns 422 if room name is empty {#room-name-too-long}",
)
