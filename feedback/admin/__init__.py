"""People administration (staff accounts) and the retention purge command."""
