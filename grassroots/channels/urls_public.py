"""The official account's callback, called by WeChat's servers (public, signed)."""

from django.urls import path

from .views.callback import wechat_callback

app_name = "channels-public"

urlpatterns = [path("callback/", wechat_callback, name="wechat-callback")]
