"""Cross-domain plumbing: transactions, domain events, errors, pages."""
