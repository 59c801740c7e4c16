"""Service feedback from families and parent carer forums, and forum imports.

- ``/feedback/new``: the public feedback form (no account).
- ``/forum``: a forum rep's own forum's submissions, status and responses.
- ``/feedback/import``: bulk import of CSV/XLSX for forum reps and commissioners.
"""
