"""Project teams: an event's proposals with votes and rank, and the CSV of them."""
