"""Building blocks every part of the OpenAPI description shares."""

ID = {"type": "integer", "minimum": 1}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*codes):
    return {str(code): {"$ref": "#/components/responses/Error"} for code in codes}


def body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}
