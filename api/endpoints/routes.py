"""The API's routers, added to the API object once."""

from api.endpoints import newcomers, records
from api.endpoints.base import api

api.add_router("", newcomers.router)
api.add_router("", records.router)
