"""Colleagues on an event's team, for the team and role-matrix tests."""

from participation.accounts.operations import create_or_update_user
from participation.accounts.tokens import issue_token

from ..conftest import PASSWORD, csrf_from, login


class Colleague:
    """A staff account (made here, or given) with a logged-in browser, its CSRF token and an
    API token."""

    def __init__(self, app, email, role="facilitator", user=None):
        self.user = user or create_or_update_user(email, role, PASSWORD)
        self.email, self.id = self.user.email, self.user.id
        self.api = {"Authorization": f"Bearer {issue_token(self.user, 'Test')[0]}"}
        self.http = app.test_client()
        assert login(self.http, self.user).status_code in (302, 303)
        self.csrf = csrf_from(self.http.get("/events").get_data(as_text=True))

    def form(self, path, **data):
        return self.http.post(path, data={"csrf_token": self.csrf, **data})
