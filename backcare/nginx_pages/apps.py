from django.apps import AppConfig


class NginxPagesConfig(AppConfig):
    name = "backcare.nginx_pages"
    label = "nginx_pages"
    verbose_name = "Pages nginx sends itself"
