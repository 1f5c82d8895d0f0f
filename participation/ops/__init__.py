"""Operations' own records: the staff audit log and `flask backup`."""
