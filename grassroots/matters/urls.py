"""Staff pages for matters: the work queue, the detail page and its actions,
the Excel export and the scoped attachment download."""

from django.urls import path

from .views import actions as views_actions
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
