from flask import url_for

from ..events.links import base_url


def invite_url(token: str) -> str:
    return base_url() + url_for("members.accept", token=token)
