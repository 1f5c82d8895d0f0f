"""Operations' own records: the staff audit log; `flask backup` and `flask restore`."""
