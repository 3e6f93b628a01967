"""`specc build`: run the front end, ask every target for its files, and write them safely.

Ownership: `<out>/.specc-manifest.json` lists every file specc wrote, with its sha256. specc never writes over
a file it does not own (B001) or a file it wrote that was edited since (B005). It removes an owned file the
spec no longer produces only when that is provably the file specc wrote: a canonical path inside a target's
area (`path_refusal`), reached without links, a regular file with the generated-file header and the sha256
the manifest recorded; anything else is kept and reported (B002-B004). Migration revisions are never removed.
Below the output folder nothing is read, written or deleted through a symbolic link (`specc.fsio`). The
commit is crash-safe: a journal makes it all or nothing across a crash, and the next run finishes or undoes
an interrupted one (`specc.commit`).

Incremental: the manifest records a fingerprint of the inputs (spec, test plan, configuration and specc's own
code). When it matches and every owned file is unchanged on disk, the build does no generation work at all.

Modules: `registry` (the targets, what they render from and return), `rendering` (rendering them, the `api`
target perhaps in a forked child, and merging what they return), `manifest` (the ownership record),
`writes` (what to write, delete and keep), `command` (the command itself).
"""

from specc.build.command import CACHE_DIR, BuildResult, build, recover_output, run_build
from specc.build.manifest import MANIFEST, Manifest, fingerprint, manifest_differences
from specc.build.registry import BuildContext, Rendered, Target, areas, path_refusal, register_target, targets
from specc.build.rendering import Generated, generate
from specc.build.writes import Plan, plan_writes, unified_diff

__all__ = [
    "CACHE_DIR",
    "MANIFEST",
    "BuildContext",
    "BuildResult",
    "Generated",
    "Manifest",
    "Plan",
    "Rendered",
    "Target",
    "areas",
    "build",
    "fingerprint",
    "generate",
    "manifest_differences",
    "path_refusal",
    "plan_writes",
    "recover_output",
    "register_target",
    "run_build",
    "targets",
    "unified_diff",
]
