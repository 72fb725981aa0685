import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

from plugins.core.checks import verify_backends  # after the settings module is named

application = get_wsgi_application()
import_module(settings.ROOT_URLCONF)  # every view, loaded now rather than by the first request
verify_backends()  # a misconfigured backend refuses to start, saying what to run or set

# The garbage collector, set for a server process (measured with bench/api_benchmark.py on a populated
# list of 100 profiles). What is loaded by now lives as long as the process: frozen (after one
# collection of start-up garbage), the collector no longer walks it. Unfrozen, a full collection walked
# its ~240,000 objects every few such lists, about 140 ms each time: most of their p90 and p99. The
# collections a request's own objects call for run between requests instead
# (``collect_between_requests``), so the thresholds are raised well above what one request makes: a
# collection in the middle of a request walks everything it has alive, and promotes it to be walked
# again. runserver loads this module too (WSGI_APPLICATION); the settings do no harm there.
COLLECT_AFTER_OBJECTS = 1_000  # young objects left over by a request that call for a collection
FULL_COLLECTION_EVERY = 100  # requests: cyclic garbage that reached the oldest generation is freed too
gc.collect()
gc.freeze()
gc.set_threshold(100_000, 50, 100)
_served = 0


def collect_between_requests(**kwargs) -> None:
    """After a response: collect the young generations when the request left garbage behind, everything
    every ``FULL_COLLECTION_EVERY`` requests. Out-of-band collection, as some servers have built in and
    gunicorn has not. ``request_finished`` runs once gunicorn has written the whole response (a client
    reading it by its length has it), but before the worker closes the connection and accepts the next:
    under a queue of requests, the next one waits for it (~3 ms after a populated list of 100)."""
    global _served
    _served += 1
    if _served % FULL_COLLECTION_EVERY == 0:
        gc.collect()
    elif gc.get_count()[0] > COLLECT_AFTER_OBJECTS:
        gc.collect(1)


request_finished.connect(collect_between_requests, dispatch_uid="cms-collect-between-requests")
