from django.urls import path

from .tokens.urls import urlpatterns as token_urls
from .twofactor.urls import urlpatterns as two_factor_urls
from .views import dormant as views_dormant
from .views import grants as views_grants
from .views import session as views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("home/", views.home, name="home"),
    path("password/", views_grants.OwnPasswordChangeView.as_view(), name="password-change"),
    path("set-password/<uidb64>/<token>/", views_grants.SetPasswordView.as_view(), name="set-password"),
    path("role-grants/", views_grants.role_grants, name="role-grants"),
    path("role-grants/<id:pk>/approve/", views_grants.role_grant_approve, name="role-grant-approve"),
    path("role-grants/<id:pk>/reject/", views_grants.role_grant_reject, name="role-grant-reject"),
    path("dormant/", views_dormant.dormant_accounts, name="dormant"),
    path("dormant/<id:pk>/reactivate/", views_dormant.dormant_account_reactivate, name="dormant-reactivate"),
    *two_factor_urls,
    *token_urls,
]
