"""An evening's activity plan (issue 17): the activities one event code runs one at a time,
and the answers to those that are not proposals (a quick poll first)."""
