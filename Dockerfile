FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --no-cache-dir . && useradd --create-home probono
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && DJANGO_ENV=production SECRET_KEY=collectstatic-only-build-key-not-used-at-runtime-0000000 \
       ALLOWED_HOSTS=build python manage.py collectstatic --noinput

USER probono
EXPOSE 8000
CMD ["gunicorn", "probono.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
