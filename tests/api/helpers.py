"""Building Strapi query strings the way the ``qs`` package does (encodeValuesOnly)."""

from urllib.parse import quote

from api.authentication import issue_jwt


def stringify(params: dict) -> str:
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}[{key}]" if prefix else key, inner)
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                walk(f"{prefix}[{index}]", inner)
        elif isinstance(value, bool):
            pairs.append((prefix, "true" if value else "false"))
        else:
            pairs.append((prefix, str(value)))

    walk("", params)
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_jwt(user)}"}


def get(client, path: str, params: dict | None = None, **headers):
    url = f"/api/{path}" + (f"?{stringify(params)}" if params else "")
    return client.get(url, **headers)
