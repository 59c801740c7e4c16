"""Contract register, contract reviews with KPI returns, agreed actions and review packs.

Modules: ``periods`` (quarters, financial years, date arithmetic), ``rag``
(KPI ratings), ``register`` (the register and its due/ending views),
``reviews`` (reviews, KPI returns, agreed actions), ``pack`` (the review
pack, a pure assembly of frozen dataclasses), ``routes`` and ``review_routes``
(one blueprint, ``contracts``).
"""
