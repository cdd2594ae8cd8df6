from django.urls import path

from . import views

urlpatterns = [
    path("two-factor/", views.status, name="two-factor"),
    path("two-factor/verify/", views.verify, name="two-factor-verify"),
    path("two-factor/enrol/", views.enrol, name="two-factor-enrol"),
    path("two-factor/recovery-codes/", views.enrolled, name="two-factor-enrolled"),
    path("two-factor/recovery-codes/regenerate/", views.regenerate, name="two-factor-regenerate"),
    path("two-factor/accounts/", views.accounts, name="two-factor-accounts"),
    path("two-factor/accounts/<id:pk>/reset/", views.reset, name="two-factor-reset"),
]
