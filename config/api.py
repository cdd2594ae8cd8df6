"""/api/v1/ routes: one include per app, nothing else (docs/architecture.md,
"API routes"). Each app's `api/urls.py` registers its viewsets with
`grassroots.core.api.routers.Router` (one action per transition) and adds a
plain path only for a lookup that is no resource. Apps that came first keep
their routes at the root; later apps get their own prefix."""

from django.urls import include, path

urlpatterns = [
    path("", include("grassroots.accounts.api.urls")),
    path("", include("grassroots.regions.api.urls")),
    path("", include("grassroots.matters.api.urls")),
    path("", include("grassroots.addresses.api.urls")),
    path("registration/", include("grassroots.registration.api.urls")),
    path("mediation/", include("grassroots.mediation.api.urls")),
    path("deliberation/", include("grassroots.deliberation.api.urls")),
    path("evaluation/", include("grassroots.evaluation.api.urls")),
    path("publicity/", include("grassroots.publicity.api.urls")),
    path("safety/", include("grassroots.safety.api.urls")),
    path("relocation/", include("grassroots.relocation.api.urls")),
    path("party/", include("grassroots.party.api.urls")),
    path("livelihood/", include("grassroots.livelihood.api.urls")),
    path("economy/", include("grassroots.economy.api.urls")),
    path("indicators/", include("grassroots.indicators.api.urls")),
    path("dashboards/", include("grassroots.dashboards.api.urls")),
    path("bigscreen/", include("grassroots.bigscreen.api.urls")),
    path("channels/", include("grassroots.channels.api.urls")),
    path("routing/", include("grassroots.routing.api.urls")),
    path("exports/", include("grassroots.exports.api.urls")),
    path("field/", include("grassroots.field.api.urls")),
]
