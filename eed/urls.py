from django.urls import path

from eed import views

urlpatterns = [
    path("ceremonies/", views.ceremony_list, name="ceremony_list"),
]
