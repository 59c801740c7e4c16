"""Performance Monitoring Form returns: a provider's return per contract and period,
its states (draft, submitted, returned for correction, accepted), the blank XLSX form and
its upload, supporting files, and the overdue list."""
