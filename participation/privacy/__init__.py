"""Residents' privacy: erasing one's own input, and purging personal data after retention."""
