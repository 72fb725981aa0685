"""OpenAPI for the generated endpoints, added to drf-spectacular's schema from the registry.

drf-spectacular documents the hand-written views (auth, upload); the content-type endpoints are
generated at run time, so a post-processing hook writes their paths and schemas from the same
registry that generates them.
"""

from __future__ import annotations

import re

from api.registry import ContentType, camel_case, registry

TYPE_SCHEMAS = {
    "string": {"type": "string"},
    "text": {"type": "string"},
    "richtext": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "uid": {"type": "string"},
    "enumeration": {"type": "string"},
    "integer": {"type": "integer"},
    "biginteger": {"type": "integer"},
    "decimal": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "json": {},
}


def _name(content_type: ContentType) -> str:
    return "".join(part.capitalize() for part in content_type.singular.split("-"))


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _attribute_schema(attribute) -> dict:
    schema = dict(TYPE_SCHEMAS[attribute.type])
    if attribute.enum:
        schema["enum"] = [value for value in attribute.enum]
    schema["nullable"] = True
    if not attribute.writable:
        schema["readOnly"] = True
    return schema


def entry_schema(content_type: ContentType) -> dict:
    properties = {"id": {"type": "integer"}, "documentId": {"type": "string"}}
    for attribute in content_type.public_attributes():
        properties[attribute.name] = _attribute_schema(attribute)
    for name in ("createdAt", "updatedAt", "publishedAt"):
        properties[name] = {"type": "string", "format": "date-time", "nullable": True}
    for relation in content_type.relations:
        if relation.private:
            continue
        target = _ref(_name(registry.get(relation.target)))
        properties[relation.name] = (
            {"type": "array", "items": target, "description": "When populated."}
            if relation.many
            else {**target, "description": "When populated."}
        )
    for media in content_type.media:
        properties[media.name] = {**_ref("UploadFile"), "description": "When populated."}
    for component in content_type.components:
        component_properties = {a.name: _attribute_schema(a) for a in component.attributes}
        component_properties.update({m.name: _ref("UploadFile") for m in component.media})
        properties[component.name] = {"type": "object", "properties": component_properties}
    return {"type": "object", "properties": properties, "description": content_type.description}


def input_schema(content_type: ContentType) -> dict:
    properties = {}
    required = []
    for attribute in content_type.public_attributes():
        if attribute.writable and attribute.compute is None:
            properties[attribute.name] = _attribute_schema(attribute)
            if attribute.required:
                required.append(attribute.name)
    relation_value = {
        "oneOf": [
            {"type": "array", "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]}},
            {
                "type": "object",
                "properties": {op: {"type": "array", "items": {}} for op in ("connect", "disconnect", "set")},
            },
        ]
    }
    for relation in content_type.relations:
        if relation.writable and not relation.private:
            properties[relation.name] = relation_value
    for media in content_type.media:
        properties[media.name] = {"type": "integer", "nullable": True, "description": "An uploaded file's id."}
    body = {"type": "object", "properties": properties}
    if required:
        body["required"] = required
    return {"type": "object", "required": ["data"], "properties": {"data": body}}


QUERY_PARAMETERS = [
    ("filters", "object", "Strapi filters, e.g. filters[slug][$eq]=growth; $and / $or / $not nest.", True),
    ("populate", "string", "*, a list of relations, or the object form with fields, filters, sort, populate.", True),
    ("fields", "array", "Attributes to return; id and documentId always come.", False),
    ("sort", "array", "Attribute names with an optional :asc or :desc.", False),
    ("pagination[page]", "integer", "Page number, from 1.", False),
    ("pagination[pageSize]", "integer", "Entries a page (default 25, at most 100).", False),
    ("pagination[start]", "integer", "Offset (with pagination[limit], instead of page / pageSize).", False),
    ("pagination[limit]", "integer", "Entries to return; -1 for the maximum.", False),
    ("pagination[withCount]", "boolean", "Include the total count (default true).", False),
    ("status", "string", "published (default) or draft (editors).", False),
    ("locale", "string", "Accepted for compatibility.", False),
]


def _parameters(list_endpoint: bool) -> list[dict]:
    chosen = (
        QUERY_PARAMETERS
        if list_endpoint
        else [p for p in QUERY_PARAMETERS if p[0] in ("populate", "fields", "status", "locale")]
    )
    parameters = []
    for name, type_, description, deep in chosen:
        schema = {"type": type_}
        if type_ == "array":
            schema["items"] = {"type": "string"}
        if type_ == "object":
            schema["additionalProperties"] = True
        parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
        if deep or type_ == "object":
            parameter.update(style="deepObject", explode=True)
        parameters.append(parameter)
    return parameters


def _responses(ok: dict, ok_status: str = "200") -> dict:
    error = {"description": "Strapi's error envelope", "content": {"application/json": {"schema": _ref("Error")}}}
    return {ok_status: ok, "400": error, "401": error, "403": error, "404": error}


def paths_for(content_type: ContentType) -> dict:
    name = _name(content_type)
    tag = [content_type.plural]
    one = {"content": {"application/json": {"schema": _ref(f"{name}Response")}}, "description": "One entry"}
    many = {"content": {"application/json": {"schema": _ref(f"{name}ListResponse")}}, "description": "Entries"}
    body = {"required": True, "content": {"application/json": {"schema": _ref(f"{name}Input")}}}
    document_id = {"name": "documentId", "in": "path", "required": True, "schema": {"type": "string"}}
    status = [p for p in _parameters(False) if p["name"] == "status"]
    return {
        f"/api/{content_type.plural}": {
            "get": {
                "operationId": f"find_{content_type.plural}",
                "summary": f"Find {content_type.plural}",
                "tags": tag,
                "parameters": _parameters(True),
                "responses": _responses(many),
            },
            "post": {
                "operationId": f"create_{content_type.singular}",
                "summary": f"Create {_article(content_type.singular)} {content_type.singular}",
                "tags": tag,
                "parameters": status,
                "requestBody": body,
                "responses": _responses(one, "201"),
            },
        },
        f"/api/{content_type.plural}/{{documentId}}": {
            "get": {
                "operationId": f"findOne_{content_type.singular}",
                "tags": tag,
                "summary": f"Find one {content_type.singular}",
                "parameters": [document_id, *_parameters(False)],
                "responses": _responses(one),
            },
            "put": {
                "operationId": f"update_{content_type.singular}",
                "tags": tag,
                "summary": f"Update {_article(content_type.singular)} {content_type.singular}",
                "parameters": [document_id, *status],
                "requestBody": body,
                "responses": _responses(one),
            },
            "delete": {
                "operationId": f"delete_{content_type.singular}",
                "tags": tag,
                "summary": f"Delete {_article(content_type.singular)} {content_type.singular}",
                "parameters": [document_id],
                "responses": _responses({"description": "Deleted"}, "204"),
            },
        },
    }


def common_schemas() -> dict:
    return {
        "Error": {
            "type": "object",
            "properties": {
                "data": {"nullable": True},
                "error": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "integer"},
                        "name": {"type": "string"},
                        "message": {"type": "string"},
                        "details": {"type": "object"},
                    },
                },
            },
        },
        "Pagination": {
            "type": "object",
            "properties": {
                key: {"type": "integer"} for key in ("page", "pageSize", "pageCount", "total", "start", "limit")
            },
        },
        "UploadFile": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "documentId": {"type": "string"},
                "name": {"type": "string"},
                "alternativeText": {"type": "string", "nullable": True},
                "caption": {"type": "string", "nullable": True},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "formats": {"type": "object", "nullable": True, "additionalProperties": True},
                "hash": {"type": "string"},
                "ext": {"type": "string"},
                "mime": {"type": "string"},
                "size": {"type": "number"},
                "url": {"type": "string"},
                "provider": {"type": "string"},
            },
        },
    }


def add_generated_endpoints(result, generator, request, public):
    """drf-spectacular post-processing hook: the registry's endpoints and schemas."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(common_schemas())
    result.setdefault("components", {}).setdefault("securitySchemes", {})["bearerAuth"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A user's JWT from /api/auth/local, or an API token.",
    }
    result["security"] = [{"bearerAuth": []}, {}]
    paths = _camel_case_path_parameters(result.setdefault("paths", {}))
    for content_type in registry.all():
        name = _name(content_type)
        schemas[name] = entry_schema(content_type)
        schemas[f"{name}Input"] = input_schema(content_type)
        schemas[f"{name}Response"] = {"type": "object", "properties": {"data": _ref(name), "meta": {"type": "object"}}}
        schemas[f"{name}ListResponse"] = {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": _ref(name)},
                "meta": {"type": "object", "properties": {"pagination": _ref("Pagination")}},
            },
        }
        generated = paths_for(content_type)
        if not schemas[f"{name}Input"]["properties"]["data"]["properties"]:
            # Nothing of it can be written through the generated create and update (users: signing up does it).
            for operations in generated.values():
                operations.pop("post", None)
                operations.pop("put", None)
        for path, operations in generated.items():
            paths[path] = {**operations, **_declaring_a_body(paths.get(path, {}))}
    result["paths"] = dict(sorted(paths.items()))
    return result


def _declaring_a_body(operations: dict) -> dict:
    """The hand-written operations that document the body they parse (``ApiView.body``): where one replaces a
    generated operation (users-permissions' flat ``PUT /api/users/:id``), it is what the endpoint reads."""
    return {method: op for method, op in operations.items() if isinstance(op, dict) and "requestBody" in op}


def _camel_case_path_parameters(paths: dict) -> dict:
    """The hand-written views' URL keywords (``document_id``) under the API's own names (``documentId``), so that
    one path parameter has one name throughout the document."""
    renamed = {}
    for path, operations in paths.items():
        for keyword in re.findall(r"{(\w+)}", path):
            path = path.replace(f"{{{keyword}}}", f"{{{camel_case(keyword)}}}")
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path":
                    parameter["name"] = camel_case(parameter["name"])
        renamed[path] = operations
    return renamed


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
