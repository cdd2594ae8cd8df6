"""Staff pages for matters: the work queue, the detail page and its actions,
the Excel export and the scoped attachment download; and the staff intake
pages under /intake/ (login; RECORD_MATTERS or RECORD_VISITS), included by
config/urls.py as `intake_urlpatterns` under their own namespace."""

from django.urls import path

from .views import actions as views_actions
from .views import intake as views_intake
from .views import queue as views_queue

app_name = "matters"

urlpatterns = [
    path("", views_queue.queue, name="queue"),
    path("export/", views_queue.export, name="export"),
    path("<id:pk>/", views_queue.detail, name="detail"),
    *[path(f"<id:pk>/{name}/", view, name=name) for name, view in views_actions.action_views.items()],
    path("reopen-requests/<id:pk>/answer/", views_actions.reopen_answer, name="reopen-answer"),
    path("attachments/<id:pk>/", views_queue.attachment, name="attachment"),
]

# Namespace "matters-intake", under /intake/.
intake_urlpatterns = [
    path("relay/", views_intake.relay, name="relay"),
    path("hotline/", views_intake.hotline, name="hotline"),
    path("places/", views_intake.places, name="places"),
    path("addresses/", views_intake.addresses, name="addresses"),
    path("visit/", views_intake.visit, name="visit"),
    path("visit/households/", views_intake.visit_households, name="visit-households"),
    path("visits/", views_intake.visit_list, name="visits"),
    path("visits/<id:pk>/", views_intake.visit_done, name="visit-done"),
]
