"""Staff pages under /indicators/ (VIEW_INDICATORS; writes need their own capability)."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.table, name="table"),
    path("enter/", views.enter, name="enter"),
    path("import/", views.import_page, name="import"),
    path("export/", views.export, name="export"),
    path("briefing.pdf", views.briefing, name="briefing"),
    path("briefing.doc", views.briefing_word, name="briefing-word"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/new/", views.definition_new, name="definition-new"),
    path("definitions/<id:pk>/edit/", views.definition_edit, name="definition-edit"),
    path("trend/<id:pk>/", views.trend, name="trend"),
    path("values/<id:pk>/", views.value_history, name="value"),
    path("ledgers/<id:pk>/review/", views.ledger_review, name="ledger-review"),
    path("ledgers/<id:pk>/return/", views.ledger_return, name="ledger-return"),
    path("ledgers/<id:pk>/lock/", views.ledger_lock, name="ledger-lock"),
]
