"""Staff pages under /addresses/ (VIEW_ADDRESSES; actions need their own capability)."""

from django.urls import path

from . import views

app_name = "addresses"

urlpatterns = [
    path("", views.address_list, name="list"),
    path("queue/", views.verification_queue, name="queue"),
    path("transfer/", views.transfer_page, name="transfer"),
    path("export/", views.export, name="export"),
    path("households/", views.household_list, name="households"),
    path("households/link/", views.household_link, name="households-link"),
    path("<id:pk>/", views.address_detail, name="detail"),
    path("<id:pk>/photo/", views.address_photo, name="photo"),
    path("<id:pk>/collect/", views.address_collect, name="collect"),
    path("<id:pk>/verify/", views.address_verify, name="verify"),
    path("<id:pk>/sign-off/", views.address_sign_off, name="sign-off"),
    path("<id:pk>/doubt/", views.address_doubt, name="doubt"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/open/", views.campaign_open, name="campaign-open"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<id:pk>/close/", views.campaign_close, name="campaign-close"),
    path("batches/<id:pk>/", views.batch_detail, name="batch"),
    path("batches/<id:pk>/sign-off/", views.batch_sign_off, name="batch-sign-off"),
]
