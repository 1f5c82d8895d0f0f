"""The two machine-readable documents, public like the API's description of itself: the REST
API (OpenAPI 3.1) and the live channel (AsyncAPI 3.0)."""

from flask import jsonify, request

from .asyncapi import document as asyncapi_document
from .contract import PUBLIC, Answer, route
from .openapi import spec


@route("GET", "/openapi.json", "This document: the REST API (OpenAPI 3.1)", auth=PUBLIC,
       answers={200: Answer(dict, "The OpenAPI document")})
def openapi():
    return jsonify(spec())


@route("GET", "/asyncapi.json", "The live channel (Socket.IO): commands, acks and pushes "
       "(AsyncAPI 3.0)", auth=PUBLIC, answers={200: Answer(dict, "The AsyncAPI document")})
def asyncapi():
    return jsonify(asyncapi_document(request.host, request.scheme))
