import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

from plugins.core.checks import verify_backends  # after the settings module is named

application = get_asgi_application()
verify_backends()  # a misconfigured backend refuses to start, saying what to run or set
