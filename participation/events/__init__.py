"""Events (rådslag, referensgrupp, medborgarverkstad): settings, phases, projector and console."""
