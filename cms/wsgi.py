import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # every view, loaded now rather than by the first request

# The garbage collector, set for a server process (measured with bench/api_benchmark.py). What is loaded
# by now lives as long as the process: frozen, the collector no longer walks it. Unfrozen, a full
# collection walked its ~240,000 objects every sixth populated list of 100 profiles, about 140 ms each
# time, most of that request's p99. The youngest generation's threshold is raised from 700 so that a
# request making tens of thousands of short-lived objects is not interrupted by collections that
# promote them to the older generations, whose collections then walk them again.
gc.freeze()
gc.set_threshold(10_000, 10, 10)
