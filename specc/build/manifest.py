"""The ownership record of an output folder, `<out>/.specc-manifest.json`: every file specc wrote with its
sha256, the fingerprint of the inputs that produced them, the external files the build read and the OpenAPI
units already validated."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from specc import __version__
from specc.build.registry import path_refusal
from specc.build.seeds import tests_digest
from specc.commit import is_digest, sha256
from specc.config import Config
from specc.diagnostics import Reporter, Severity, register_code
from specc.fsio import OutputTree, path_problem, project_file
from specc.ir.model import Spec
from specc.jsontext import dumps_indented
from specc.selfhash import code_fingerprint

MANIFEST = ".specc-manifest.json"

MANIFEST_REFUSED = register_code(
    "B002",
    Severity.WARNING,
    "Manifest entry ignored",
    "An entry of `.specc-manifest.json` names a path specc would never write: not canonical (`//`, `.`, "
    "`..`, a backslash, an absolute path, a control character), outside the folders and files specc "
    "generates (`models/`, `schemas/`, `openapi.json`, `migrations/`, `specc.lock.json`), or without a valid "
    "sha256. The manifest is a committed file; such an entry was written by hand (or by a pull request). "
    "specc ignores it: the path is neither deleted nor treated as owned, and the next manifest no longer "
    "lists it. Look at who changed the manifest.",
    '"files": {"NOTES.md": "…"} or {"migrations//versions/0001_initial.py": "…"}',
)
MANIFEST_UNREADABLE = register_code(
    "B006",
    Severity.WARNING,
    "Manifest unreadable",
    "`.specc-manifest.json` is not a JSON object specc can read (not UTF-8, not JSON, nested too deeply). "
    "Without it specc cannot tell which files it owns: the build deletes nothing, overwrites only files that "
    "carry specc's generated-file header, and writes a new manifest. `specc build --check` reports the "
    "output as stale (exit 1): with an unreadable manifest the state of the output folder is unknown.",
    "a merge conflict marker in .specc-manifest.json",
)


def fingerprint(paths: list[Path | None], config: Config, allow_destructive: bool) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in paths:
        digest.update(b"\x00")
        if path is not None and path.is_file():
            digest.update(path.read_bytes())
    settings = (
        sorted(config.disable),
        sorted(config.severity.items()),
        config.api_prefix,
        config.line_length,
        config.tests,
        config.app,
        config.generate_tests,
    )
    digest.update(repr(settings).encode())
    digest.update(b"destructive" if allow_destructive else b"safe")
    if config.generate_tests:  # the pending plan stubs depend on the team's tests
        digest.update(tests_digest(config.root / config.tests).encode())
    return digest.hexdigest()


@dataclass
class Manifest:
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)
    validated: frozenset[str] = frozenset()
    """OpenAPI unit hashes openapi-spec-validator has accepted (a cache: losing it only costs time)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Other files the build read (external JSON Schemas of bodies), relative to the project root → sha256."""
    seeded: frozenset[str] = frozenset()
    """User-owned test stub files builds created (project-relative): never created again."""
    problem: str | None = None
    """Why the manifest file could not be read (None: read, or there is none)."""
    refused: dict[str, str] = field(default_factory=dict)
    """Entries of `files` that were ignored → why (not canonical, outside specc's areas, no valid sha256)."""
    exists: bool = False
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each refused entry in the file (for diagnostics)."""

    @classmethod
    def read(
        cls,
        out: Path,
        tree: OutputTree | None = None,
        *,
        name: str = MANIFEST,
        refusal: Callable[[str], str | None] = path_refusal,
    ) -> Manifest:
        """The manifest `name` under `out` (`refusal`: why an entry names a path the command never
        writes). Never raises for its content (an unreadable manifest has a `problem`); raises UnsafeOutput
        when it is a link or not a file."""
        data = (tree or OutputTree(out, str(out))).read(name)
        if data is None:
            return cls()
        try:
            body = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return cls(exists=True, problem=f"byte {exc.start} is not UTF-8")
        except RecursionError:
            return cls(exists=True, problem="it is nested too deeply")
        except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
            return cls(exists=True, problem=f"it is not valid JSON ({str(exc).splitlines()[0][:200]})")
        if not isinstance(body, dict) or not isinstance(body.get("files", {}), dict):
            return cls(exists=True, problem="it is not an object with a `files` object")
        fingerprint = body.get("fingerprint", "")
        manifest = cls(exists=True, fingerprint=fingerprint if isinstance(fingerprint, str) else "")
        for rel, digest in body.get("files", {}).items():
            problem = refusal(rel) if is_digest(digest) else "has no valid sha256"
            if problem is None:
                manifest.files[rel] = digest
            else:
                manifest.refused[rel] = problem
                at = data.find(json.dumps(rel, ensure_ascii=False).encode("utf-8", "replace") + b":")
                manifest.lines[rel] = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
        validated = body.get("validated_openapi_units", [])
        if isinstance(validated, list):
            manifest.validated = frozenset(h for h in validated if isinstance(h, str))
        seeded = body.get("seeded_test_files", [])
        if isinstance(seeded, list):
            manifest.seeded = frozenset(p for p in seeded if isinstance(p, str) and path_problem(p) is None)
        inputs = body.get("inputs", {})
        if isinstance(inputs, dict):
            manifest.inputs = {k: v for k, v in inputs.items() if isinstance(v, str)}
        return manifest

    def text(self) -> str:
        body = {
            "generated_by": f"specc {__version__}",
            "fingerprint": self.fingerprint,
            "files": dict(sorted(self.files.items())),
            "inputs": dict(sorted(self.inputs.items())),
            "validated_openapi_units": sorted(self.validated),
        }
        if self.seeded:
            body["seeded_test_files"] = sorted(self.seeded)
        return dumps_indented(body) + "\n"

    def intact(self, tree: OutputTree, root: Path) -> bool:
        """Every file it lists, and every input it records, is on disk with the recorded sha256 (and the
        manifest itself was read whole)."""
        if not self.files or self.refused or self.problem:
            return False
        for rel, digest in self.files.items():
            data = tree.read(rel)
            if data is None or sha256(data) != digest:
                return False
        for rel, digest in self.inputs.items():
            data, _ = project_file(root, rel)
            if data is None or sha256(data) != digest:
                return False
        return True

    def report(self, shown: str, reporter: Reporter) -> None:
        """Report an unreadable manifest (B006) and the entries it ignored (B002)."""
        if self.problem is not None:
            reporter.report(
                MANIFEST_UNREADABLE,
                f"cannot read the manifest: {self.problem}; nothing is deleted, and only files with specc's "
                "generated-file header are replaced",
                shown,
                1,
            )
        for rel, problem in sorted(self.refused.items()):
            reporter.report(
                MANIFEST_REFUSED,
                f"manifest entry {rel!r} is ignored: it {problem}",
                shown,
                self.lines.get(rel, 1),
                hint="the manifest is written by specc; look at who edited it",
            )


def external_inputs(spec: Spec, root: Path) -> dict[str, str]:
    """sha256 of every JSON Schema file a body references (missing files hash as empty)."""
    refs = {
        body.schema_ref
        for endpoint in spec.endpoints
        for body in (endpoint.request_body, *(r.body for r in endpoint.responses))
        if body is not None and body.schema_ref
    }
    digests: dict[str, str] = {}
    for ref in sorted(refs):
        data, _ = project_file(root, ref)
        digests[ref] = "" if data is None else sha256(data)
    return digests


def manifest_differences(old: Manifest, new: Manifest) -> list[str]:
    """How the ownership record on disk differs from the one this build writes (for `--check`)."""
    if old.problem is not None:
        return [f"{MANIFEST}: unreadable ({old.problem}); the state of the output folder is unknown"]
    if not old.exists:
        return [f"missing: {MANIFEST}"]
    lines = [
        f"{MANIFEST}: lists {rel}, which it should not ({why})" for rel, why in sorted(old.refused.items())
    ]
    for rel in sorted(old.files.keys() | new.files.keys()):
        if rel not in new.files:
            lines.append(f"{MANIFEST}: lists {rel}, which the spec does not produce")
        elif rel not in old.files:
            lines.append(f"{MANIFEST}: does not list {rel}")
        elif old.files[rel] != new.files[rel]:
            lines.append(f"{MANIFEST}: records another sha256 for {rel}")
    return lines
