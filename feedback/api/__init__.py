"""The read-only open data API (``/api/v1/``): tokens, tables of protected counts,
answers, contracts and KPIs as JSON or CSV, and its OpenAPI document."""
