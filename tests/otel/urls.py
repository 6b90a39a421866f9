from django.urls import path

from tests.testapp.urls import urlpatterns as testapp_urlpatterns

from . import views

urlpatterns = [
    path("nested_hops/", views.nested_hops, name="nested_hops"),
    path("books/<int:pk>/", views.book, name="book"),
    *testapp_urlpatterns,
]
