"""Residents: pseudonymous participants bound to a signed cookie, no account."""
