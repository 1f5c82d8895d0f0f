from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else ""


def join_url(event) -> str:
    return base_url() + url_for("events.join", code=event.code)


def follow_url(follow_code: str | None) -> str | None:
    """A resident's personal "follow my proposals" page (served by review/public.py)."""
    return base_url() + f"/folj/{follow_code}" if follow_code else None
