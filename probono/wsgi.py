import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
application = get_wsgi_application()

# Each web process builds the offline city index at start rather than on the first
# request that locates a city.
from taxonomy.geo import warm  # noqa: E402

warm()
