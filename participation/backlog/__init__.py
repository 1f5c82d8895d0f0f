"""The measure backlog: measures, their status history and the proposals linked to them."""
