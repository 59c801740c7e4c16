"""Young Inspectors' reports: standards, reports, their items, files and the provider's
response (``services``); pages (``routes``, one blueprint, ``inspections``)."""
