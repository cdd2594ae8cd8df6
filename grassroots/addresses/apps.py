from django.apps import AppConfig


class AddressesConfig(AppConfig):
    name = "grassroots.addresses"
    label = "addresses"
    verbose_name = "标准地址"
