"""JSON Schema from the declarations (participation/core/declare.py), for both documents.

`Schemas` collects the declarations a document refers to, then makes their schemas in one
pass, so a shape used in many places (a proposal, an event) is one entry of the document's
components, referred to everywhere by "#/components/schemas/<Name>".
"""

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

REF = "#/components/schemas/"


class _Generator(GenerateJsonSchema):
    def field_title_should_be_set(self, schema) -> bool:
        return False  # the key names the field; a title would only repeat it

    def typed_dict_schema(self, schema):
        generated = super().typed_dict_schema(schema)
        # A shape the code builds has exactly its declared keys; a request declares that it
        # takes others (core.declare.request) and gets additionalProperties: true instead.
        generated.setdefault("additionalProperties", False)
        return generated


class Schemas:
    """Name every declaration a document uses with `use` first; then `build()` once, and
    `schema(declaration)` gives its schema (a $ref to a component, or inline for a list, a
    union, a plain type); `components` holds every component made."""

    def __init__(self, declarations=()):
        self._declarations: list = []
        self._built: list[dict] = []
        self.components: dict = {}
        for declaration in declarations:
            self.use(declaration)

    def _index(self, declaration) -> int | None:
        return next((n for n, known in enumerate(self._declarations)
                     if known is declaration or known == declaration), None)

    def use(self, declaration) -> None:
        if self._index(declaration) is None:
            self._declarations.append(declaration)

    def build(self) -> "Schemas":
        inputs = [(n, "validation", TypeAdapter(declaration).core_schema)
                  for n, declaration in enumerate(self._declarations)]
        mapping, self.components = _Generator(ref_template=REF + "{model}").generate_definitions(
            inputs)
        self._built = [mapping[(n, "validation")] for n in range(len(inputs))]
        return self

    def schema(self, declaration) -> dict:
        return self._built[self._index(declaration)]

    def component(self, declaration) -> dict:
        """The object schema of a TypedDict declaration."""
        return self.components[self.schema(declaration)["$ref"].removeprefix(REF)]


def referenced(node) -> set[str]:
    """The component names a part of a document refers to."""
    found = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            found.add(ref.removeprefix(REF))
        for value in node.values():
            found |= referenced(value)
    elif isinstance(node, list):
        for value in node:
            found |= referenced(value)
    return found


def reachable(components: dict, document_part) -> dict:
    """Only the components the document reaches (a query's declaration is spread into
    parameters, not referred to), in name order."""
    names, todo = set(), referenced(document_part)
    while todo:
        name = todo.pop()
        if name not in names:
            names.add(name)
            todo |= referenced(components[name])
    return {name: components[name] for name in sorted(names)}
