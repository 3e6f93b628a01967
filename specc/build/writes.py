"""What a build writes, deletes and keeps in the output folder (`plan_writes`), checked against the manifest:
specc never writes over a file it does not own (B001) or a generated file edited since (B005), and deletes an
owned file the spec no longer produces only when it is provably the file specc wrote (B003, B004)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from specc.build.manifest import Manifest
from specc.build.registry import targets
from specc.commit import sha256
from specc.diagnostics import Reporter, Severity, register_code
from specc.emit.base import GENERATED_MARKER, GeneratedFiles
from specc.fsio import OutputTree, UnsafeOutput

NOT_OWNED = register_code(
    "B001",
    Severity.ERROR,
    "Output path holds a file specc does not own",
    "`specc build` would write a file that already exists in the output folder, was not written by specc "
    "(it is not in the manifest and has no generated-file header). specc never overwrites hand-written "
    "files: move the file, or choose another `--out`.",
)
KEPT_CHANGED = register_code(
    "B003",
    Severity.WARNING,
    "Generated file kept: changed since specc wrote it",
    "The spec no longer produces a file specc wrote, but its content is not what specc recorded: someone "
    "edited it. specc deletes only files whose content it wrote, so the file is kept and is no longer owned "
    "by specc (the new manifest does not list it). Delete it by hand if the change is not needed.",
    "models/orders.py edited by hand, then the `orders` table removed from the spec",
)
KEPT_NOT_FILE = register_code(
    "B004",
    Severity.WARNING,
    "Manifest entry kept: not a file specc wrote",
    "The manifest lists a path the spec no longer produces, but what is there is not a regular file with "
    "specc's generated-file header (a folder, a symbolic link, a path through a symbolic link, a device, or "
    "a file without the header). specc never deletes folders, never deletes through or by way of links and "
    "never deletes files it did not generate, so it is kept and no longer listed in the manifest.",
    "models -> ../elsewhere (a link), with models/users.py in the manifest",
)
EDITED = register_code(
    "B005",
    Severity.ERROR,
    "Generated file edited by hand",
    "`specc build` would replace a file it wrote, but the file's content is not what specc recorded: it was "
    "edited after specc wrote it. specc does not overwrite the edit (it would be lost). Put the change into "
    "the spec (or the code that uses the generated files), then delete the file or restore it from version "
    "control, and build again. Nothing is written until then.",
    "a method added by hand to models/users.py",
)
NOT_ENCODABLE = register_code(
    "B008",
    Severity.ERROR,
    "Generated text is not valid Unicode",
    "A generated file would hold text that cannot be written as UTF-8 (a lone surrogate such as `\\ud800` "
    "from a JSON example in the document). Nothing is written. Fix the text in the document.",
    '{ "name": "\\ud800" }',
)


def _owned(rel: str, current: bytes | None, manifest: Manifest) -> bool:
    if current is None or rel in manifest.files:
        return True
    return GENERATED_MARKER in current[:400].decode("utf-8", errors="replace")


def _edited(current: bytes, recorded: str) -> bool:
    """The file is not what specc recorded (line endings a checkout converted do not count)."""
    return sha256(current) != recorded and sha256(current.replace(b"\r\n", b"\n")) != recorded


@dataclass
class Plan:
    write: dict[str, str]
    delete: list[str]
    unchanged: list[str]
    current: dict[str, bytes | None] = field(default_factory=dict)
    """What is on disk now at every path in `write` (None: missing)."""
    kept: list[str] = field(default_factory=list)
    """Owned files the spec no longer produces that are not deleted (B003, B004)."""
    digests: dict[str, str] = field(default_factory=dict)
    """sha256 of every produced file's new content (what the new manifest records)."""
    removing: dict[str, str] = field(default_factory=dict)
    """sha256 of each file in `delete` as it is now (checked again just before it is deleted)."""


def plan_writes(tree: OutputTree, files: GeneratedFiles, manifest: Manifest, reporter: Reporter) -> Plan:
    """What to write, delete and keep. Reports hand-written files in the way (B001), edited generated files
    (B005) and owned files that cannot be deleted (B003, B004). Raises UnsafeOutput for links."""
    permanent = tuple(t.permanent_prefix for t in targets() if t.permanent_prefix)
    plan = Plan(write={}, delete=[], unchanged=[])
    for rel, content in sorted(files.items()):
        current = tree.read(rel)
        try:
            new = content.encode("utf-8")
        except UnicodeEncodeError as exc:
            reporter.report(
                NOT_ENCODABLE, f"{rel} holds text that is not valid Unicode ({exc.reason})", tree.show(rel), 1
            )
            continue
        plan.digests[rel] = sha256(new)
        if current == new:
            plan.unchanged.append(rel)
            continue
        plan.write[rel] = content
        plan.current[rel] = current
        if current is None:
            continue
        if not _owned(rel, current, manifest):
            reporter.report(NOT_OWNED, f"{rel} exists and was not written by specc", tree.show(rel), 1, 1)
        elif rel in manifest.files and _edited(current, manifest.files[rel]):
            reporter.report(
                EDITED,
                f"{rel} was edited after specc wrote it; specc will not overwrite the edit",
                tree.show(rel),
                1,
                1,
                hint="move the change into the spec, then delete the file (or restore it from version "
                "control)",
            )
    for rel, digest in sorted(manifest.files.items()):
        if rel in files or rel.startswith(permanent):
            continue
        try:
            current = tree.read(rel)
        except UnsafeOutput as exc:
            reporter.report(KEPT_NOT_FILE, f"{rel} is not deleted: {exc.problem}", exc.path, 1, 1)
            plan.kept.append(rel)
            continue
        if current is None:
            continue
        if _edited(current, digest):
            reporter.report(
                KEPT_CHANGED,
                f"{rel} is no longer produced by the spec but was changed since specc wrote it: kept, and no "
                "longer owned by specc",
                tree.show(rel),
                1,
                1,
            )
            plan.kept.append(rel)
        elif GENERATED_MARKER not in current[:400].decode("utf-8", errors="replace"):
            reporter.report(
                KEPT_NOT_FILE,
                f"{rel} is not deleted: it has no generated-file header, so specc did not write it",
                tree.show(rel),
                1,
                1,
            )
            plan.kept.append(rel)
        else:
            plan.delete.append(rel)
            plan.removing[rel] = sha256(current)
    return plan


def unified_diff(plan: Plan) -> str:
    chunks: list[str] = []
    for rel, content in plan.write.items():
        current = plan.current.get(rel)
        if current is None:
            chunks.append(f"missing: {rel}\n")
            continue
        old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
        new = content.splitlines(keepends=True)
        chunks.append("".join(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}")))
    for rel in plan.delete:
        chunks.append(f"extra: {rel} (no longer produced by the spec)\n")
    return "".join(chunks)
