"""The API's views, one module per resource; each looks objects up through api.lookups."""
