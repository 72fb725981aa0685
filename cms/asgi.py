import os

from django.core.asgi import get_asgi_application

from plugins.core.checks import verify_backends

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

application = get_asgi_application()
verify_backends()  # a misconfigured backend refuses to start, saying what to run or set
