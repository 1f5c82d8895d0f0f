"""Every REST route with its contract, declared once: `route` registers the Flask rule and
records what /api/v1/openapi.json says of it (participation/api/openapi.py builds the document
from ROUTES). Bodies, answers and query strings are the domains' declarations (TypedDicts next
to the operations and shapes), so a field or a limit is written in one place.
"""

from dataclasses import dataclass, field

from . import bp

# Who may call a route, as the document's security says it:
PUBLIC = "public"  # anyone (a joined phone's cookie still needs the CSRF header on writes)
RESIDENT = "resident"  # the cookie set by /j/<code>; writes send the page's CSRF token
STAFF = "staff"  # a bearer token, or a staff login's cookie (writes: with the CSRF token)
RESIDENT_OR_STAFF = "resident_or_staff"
CSRF = "csrf"  # the CSRF header even without a cookie (accepting an invitation binds one)


@dataclass(frozen=True)
class Answer:
    """One answer of a route: its JSON declaration, and whether the data may come as a file
    instead (`?format=csv|xlsx|json`, saved as `filename`.<format>)."""

    shape: object
    description: str = ""
    filename: str | None = None


@dataclass(frozen=True)
class Route:
    method: str
    rule: str  # as Flask has it, under /api/v1
    endpoint: str
    summary: str
    auth: str
    answers: dict[int, Answer]
    errors: tuple[int, ...]
    body: object = None  # the JSON body's declaration
    body_required: bool = True
    upload: bool = False  # a CSV file: the raw body or multipart's `file`
    query: object = None  # a TypedDict of the query string's parameters
    path: dict = field(default_factory=dict)  # declarations of the non-integer path parameters
    description: str | None = None

    @property
    def writes(self) -> bool:
        return self.method != "GET"


ROUTES: list[Route] = []
STATUS_TEXT = {200: "OK", 201: "Created"}


def route(method: str, rule: str, summary: str, *, auth: str, answers: dict, errors=(),
          body=None, body_required: bool = True, upload: bool = False, query=None,
          path: dict | None = None, description: str | None = None):
    """Register the view for `method rule` and record its contract."""

    def register(view):
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=[method])
        ROUTES.append(Route(
            method=method, rule=rule, endpoint=f"{bp.name}.{view.__name__}", summary=summary,
            auth=auth, errors=tuple(errors), body=body, body_required=body_required,
            upload=upload, query=query, path=path or {}, description=description,
            answers={status: answer if isinstance(answer, Answer)
                     else Answer(answer, STATUS_TEXT.get(status, "OK"))
                     for status, answer in answers.items()}))
        return view

    return register
