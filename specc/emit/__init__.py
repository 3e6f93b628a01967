"""Writers: IR → target artifacts. Each returns {relative posix path: file content}."""
