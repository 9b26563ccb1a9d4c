"""A test client for the API that checks every answer against the API's own OpenAPI schema
(/api/schema/): its status is documented for the operation, and its JSON body validates."""

import re
from functools import lru_cache

from django.test import Client
from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def api_schema():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return response.json()


def operation(path, method="get"):
    """The schema's operation for a concrete path, e.g. /api/v1/practices/kenya/."""
    for template, operations in api_schema()["paths"].items():
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return operations[method]
    raise AssertionError(f"{path} is not in the API schema")


def check_against_schema(response, method="get"):
    path = response.request["PATH_INFO"]
    documented = operation(path, method)["responses"]
    status = str(response.status_code)
    assert status in documented, (path, status, list(documented))
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = documented[status]["content"]["application/json"]["schema"]
    schema = {**body, "components": api_schema()["components"]}
    Draft202012Validator(schema).validate(response.json())
    return response


def api_get(client, url, **extra):
    """GET an API address and check the answer against the schema."""
    return check_against_schema(client.get(url, **extra))


def every_page(client, url):
    """The records of every page of an API list, following its cursor."""
    records = []
    while url:
        data = api_get(client, url).json()
        records += data["results"]
        url = data["next"]
    return records
