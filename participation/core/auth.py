"""Small helpers for who may do what on staff pages."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def staff_required(*roles):
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
