"""The project's URLs plus ``/__hello__/``: the floor any page of this project is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("ok")


urlpatterns = [
    path("__hello__/", hello),
    path("", include("config.urls")),
]
