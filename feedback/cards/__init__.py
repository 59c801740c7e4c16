"""Young people's action cards: stop, start or change something about a service."""
