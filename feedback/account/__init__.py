"""A member of staff's own account: password, two-factor sign-in, their data."""
