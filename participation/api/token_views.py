"""REST for a staff member's own API tokens: list, create (from a login only), revoke."""

from flask import jsonify
from typing_extensions import TypedDict

from ..accounts import tokens
from .auth import json_body, staff_user, with_token
from .contract import STAFF, Answer, route


class TokenList(TypedDict):
    tokens: list[tokens.TokenShape]


class IssuedToken(TypedDict):
    token: str  # the token itself: shown in this answer only, never stored
    api_token: tokens.TokenShape


def _no_store(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@route("GET", "/me/tokens", "Your API tokens, newest first (never the tokens themselves)",
       auth=STAFF, answers={200: TokenList}, errors=(401,))
def list_my_tokens():
    return jsonify(tokens=tokens.list_tokens(staff_user()))


@route("POST", "/me/tokens", "Create an API token; the answer holds it once", auth=STAFF,
       body=tokens.NewToken, answers={201: Answer(IssuedToken, "Created")},
       errors=(400, 401, 403),
       description="Only from a logged-in browser session (with X-CSRFToken): a bearer token "
                   "cannot create tokens, so a leaked one cannot outlive its revocation.")
def create_my_token():
    user, data = staff_user(), json_body()
    value, row = tokens.issue_token(user, data.get("name"), data.get("days", tokens.DAYS_DEFAULT),
                                    with_token=with_token())
    return _no_store(jsonify(token=value, api_token=tokens.token_shape(row))), 201


@route("DELETE", "/me/tokens/<int:token_id>", "Revoke one of your API tokens", auth=STAFF,
       answers={200: tokens.TokenShape}, errors=(401, 404),
       description="Another user's token is not found (404). Revoking it again is harmless.")
def revoke_my_token(token_id):
    return jsonify(tokens.revoke_token(staff_user(), token_id))
