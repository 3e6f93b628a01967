"""Writers of test helpers for the generated package (`testing/`): data factories per table."""
