"""The invited reference group (referensgrupp): members, invitations, meetings, attendance."""
