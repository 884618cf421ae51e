"""/api/v1/: the token URL (OAuth 2.0 client credentials) and the API's operations, documents and reference."""

from django.urls import path
from oauth2_provider.views import TokenView

from api.endpoints.routes import api

urlpatterns = [
    path("oauth/token", TokenView.as_view(), name="api_token"),
    path("", api.urls),
]
