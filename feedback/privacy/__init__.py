"""Privacy operations: the retention policy and its purge, and subject access
export and erasure for staff accounts. See docs/privacy.md."""
