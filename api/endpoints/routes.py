"""The API's routers, added to the API object once."""

from api.endpoints import newcomers
from api.endpoints.base import api

api.add_router("", newcomers.router)
