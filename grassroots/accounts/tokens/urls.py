from django.urls import path

from . import views

urlpatterns = [
    path("api-tokens/", views.tokens, name="api-tokens"),
    path("api-tokens/all/", views.all_tokens, name="api-tokens-all"),
    path("api-tokens/<id:pk>/revoke/", views.revoke, name="api-token-revoke"),
]
