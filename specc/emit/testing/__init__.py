"""Writers of the generated tests: per-table factories, the pytest fixtures, the contract tests, and the
test-plan stubs."""
