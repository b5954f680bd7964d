# The production image: the product alone (no dev or demo extra), installed from the
# lock file with its hashes, run as the unprivileged user probono.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --create-home --uid 1000 probono
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
# Static files are collected here, and again into the proxy's volume by the migrate
# service. media/ and staticfiles/ belong to probono, so that the volumes mounted there
# are created with that owner.
RUN pip install --no-cache-dir --no-deps -e . \
    && DJANGO_ENV=production SECRET_KEY=collectstatic-only-build-key-not-used-at-runtime-0000000 \
       ALLOWED_HOSTS=build SITE_URL=https://build.invalid \
       python manage.py collectstatic --noinput -v0 \
    && mkdir -p media \
    && chown -R probono:probono media staticfiles

USER probono
EXPOSE 8000
CMD ["gunicorn", "probono.wsgi:application"]
