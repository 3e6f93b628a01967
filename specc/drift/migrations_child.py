"""The child process of drift's migrations source: `alembic upgrade head` on the scratch database.

Run as `python -m specc.drift.migrations_child SCRIPTS_FOLDER` with `SPECC_DRIFT_SCRATCH_URL` set to the
scratch database (the parent created it). A fresh process holds none of the modules the parent imported
(an app's settings module already loaded with the live database's URL, say), and its environment points
every variable that held the live database's URL at the scratch database. The team's `env.py` gets the
scratch database three ways: a connection in `config.attributes["connection"]`, `sqlalchemy.url`, and
`$DATABASE_URL`. What the migrations print goes to stderr, so it never mixes with the report.

Exit 0 when the upgrade ran; 3 with one line on stderr (`FAILED <exception>: <first line>`) when it failed.
"""

from __future__ import annotations

import contextlib
import os
import sys

ERROR_EXIT = 3
ERROR_PREFIX = "FAILED "


def main(argv: list[str]) -> int:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config as AlembicConfig

    folder = argv[0]
    url = sa.engine.make_url(os.environ["SPECC_DRIFT_SCRATCH_URL"])
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with contextlib.redirect_stdout(sys.stderr), engine.begin() as connection:
            config = AlembicConfig()  # no ini file: env.py's `fileConfig` logging setup is skipped
            config.set_main_option("script_location", folder)
            config.set_main_option(
                "sqlalchemy.url", url.render_as_string(hide_password=False).replace("%", "%%")
            )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except BaseException as exc:  # the migrations are the user's code: any failure is reported, not raised
        lines = str(exc).strip().splitlines() if not isinstance(exc, KeyboardInterrupt) else []
        print(
            f"{ERROR_PREFIX}{type(exc).__name__}: {lines[0].strip() if lines else ''}".rstrip(": "),
            file=sys.stderr,
        )
        return ERROR_EXIT
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
