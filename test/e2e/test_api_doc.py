"""The API reference keeps up with the routing table: every route path of
gateway/http/routes.c appears in docs/api.md and in the OpenAPI document the gateway
serves at /api/schema/.

The schema part needs a running gateway (GATEWAY_URL, set by scripts/test); with
GATEWAY_URL unset or empty it is skipped, so the documentation part can be run alone:
GATEWAY_URL= python3 test/e2e/test_api_doc.py
"""
import os
import re
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ROUTES_C = os.path.join(ROOT, "gateway", "http", "routes.c")
API_MD = os.path.join(ROOT, "docs", "api.md")

# One row of the table: { HTTP_GET,    "/api/users/",    ROUTE_BUS, ... },
ROW = re.compile(r'\{\s*HTTP_([A-Z]+)\s*,\s*"(/[^"]*)"\s*,')


def route_rows():
    """[(method, path)] of the routing table, in its order."""
    with open(ROUTES_C, encoding="utf-8") as f:
        source = f.read()
    start = source.index("routes[] = {")
    table = source[start:source.index("};", start)]
    return ROW.findall(table)


class RouteTableParse(unittest.TestCase):
    def test_the_table_is_read(self):
        rows = route_rows()
        self.assertGreaterEqual(len(rows), 20, rows)
        self.assertIn(("POST", "/api/auth/login/"), rows)
        self.assertIn(("GET", "/healthz"), rows)
        for method, _ in rows:
            self.assertIn(method, {"GET", "POST", "PUT", "PATCH", "DELETE"})


class ApiDocCoversRoutes(unittest.TestCase):
    def test_every_route_is_in_docs_api_md(self):
        with open(API_MD, encoding="utf-8") as f:
            doc = f.read()
        missing = sorted({path for _, path in route_rows() if path not in doc})
        self.assertEqual(missing, [], "routes of routes.c missing from docs/api.md")


@unittest.skipUnless(os.environ.get("GATEWAY_URL"), "GATEWAY_URL is not set: no gateway to ask")
class SchemaCoversRoutes(unittest.TestCase):
    def test_every_route_is_in_the_served_schema(self):
        from util import request
        status, headers, schema = request("GET", "/api/schema/")
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        paths = schema["paths"]
        missing = sorted({path for _, path in route_rows() if path not in paths})
        self.assertEqual(missing, [], "routes of routes.c missing from /api/schema/")
        for method, path in route_rows():
            with self.subTest(route=f"{method} {path}"):
                self.assertIn(method.lower(), paths[path])


if __name__ == "__main__":
    unittest.main()
