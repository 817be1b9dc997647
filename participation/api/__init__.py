"""The open-data API (`/api/v1/`, read-only JSON with an OpenAPI 3.1 description generated from the code by
flask-smorest and apispec), its human page, and the bulk data (`/open-data/`: streamed CSV and JSON Lines with a
DCAT-AP description).

- Every API request is answered as for a signed-out reader: its data never depends on a cookie and it sets none, CORS allows any
  origin for GET without credentials, and the items are what the public pages show (`api.queries`).
- Lists use cursor pagination (`?cursor=`, `next_cursor`, a `Link: <…>; rel="next"` header).
- Every answer carries an `ETag`; a request with a matching `If-None-Match` gets 304 Not Modified.
- Requests are rate limited per client address (`RATELIMIT_API`, the shared limiter of participation/extensions.py);
  going over gives 429 with `Retry-After`.
- GET only: no route here changes anything, so none needs a CSRF token (CSRFProtect still guards every other method).
"""
from flask import Flask, current_app, g, jsonify, request
from flask_smorest import Api

API_PREFIX = "/api/v1"
OPEN_DATA_PREFIX = "/open-data"


class OpenDataApi(Api):
    """flask-smorest's Api without its application-wide error handler (it would answer every HTML page's error with
    JSON): the API's blueprints get JSON errors of their own (`_json_errors`)."""

    def _register_error_handlers(self):
        pass



def _limit() -> str:
    """One count per client for the whole API, its description and the bulk files together (a shared limit)."""
    return current_app.config.get("RATELIMIT_API", "120 per minute;10000 per day")


def _is_api(path: str) -> bool:
    return path.startswith(API_PREFIX + "/") or path.startswith(OPEN_DATA_PREFIX + "/")


def _json_errors(blueprint) -> None:
    """Errors inside the API as JSON ({"code", "status", "message"}), as the OpenAPI description's error schema."""

    def handle(error):
        payload = {"code": error.code, "status": error.name}
        data = getattr(error, "data", None) or {}
        if "message" in data:
            payload["message"] = data["message"]
        if "messages" in data:
            payload["errors"] = data["messages"]
        elif "errors" in data:
            payload["errors"] = data["errors"]
        response = jsonify(payload)
        response.status_code = error.code
        return response

    for code in (400, 404, 405, 422, 429, 500):
        blueprint.register_error_handler(code, handle)


def _after_request(response):
    """CORS for GET (any origin, no credentials), and ETag / If-None-Match on every complete API answer."""
    if not _is_api(request.path):
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    headers["Access-Control-Allow-Headers"] = "If-None-Match"
    headers["Access-Control-Expose-Headers"] = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
    headers["Access-Control-Max-Age"] = "86400"
    next_page = g.pop("api_next", None)
    if next_page and response.status_code == 200:
        headers["Link"] = f'<{next_page}>; rel="next"'
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed:
        response.add_etag()
        response = response.make_conditional(request)
        response.headers.pop("Date", None)  # make_conditional adds one; the HTTP server sends its own (one field)
    return response


_prepared = False


def _prepare_blueprints() -> None:
    """Once per process (blueprints are shared by every app the tests make): JSON errors and the per-client limit."""
    global _prepared
    if _prepared:
        return
    from participation.api import bulk, views
    from participation.extensions import limiter

    for blueprint in (*views.BLUEPRINTS, bulk.bp):
        _json_errors(blueprint)
        limiter.shared_limit(_limit, scope="open-data")(blueprint)
    _prepared = True


def init_app(app: Flask) -> None:
    from participation.api import bulk, pages, views
    from participation.extensions import limiter

    _prepare_blueprints()

    app.config.setdefault("API_TITLE", "Līdzdalība open data")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {
            "description": "Read-only open data of the Līdzdalība civic participation platform: consultations, "
                           "comments and summary tables, proposals, the response log, institutions and groups. "
                           "Public data only, as the public pages show it. Licence: CC BY 4.0.",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": app.config["PUBLIC_BASE_URL"].rstrip("/")}],
    })
    app.json.ensure_ascii = False  # open data reads as UTF-8 ("Rēzekne", not "R\u0113zekne"); still valid JSON
    api = OpenDataApi(app)  # one per app: its spec is built from this app's routes
    for blueprint in views.BLUEPRINTS:
        api.register_blueprint(blueprint)
    limiter.shared_limit(_limit, scope="open-data")(app.blueprints["api-docs"])  # the description is counted like any other request
    app.register_blueprint(bulk.bp)
    app.register_blueprint(pages.bp)
    app.after_request(_after_request)
