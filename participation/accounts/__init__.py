"""Staff accounts (facilitators, reviewers, admins) and their API tokens."""
