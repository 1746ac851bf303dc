# One image for web, Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs a key to import the settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 luoshi \
    && mkdir -p /app/var/media \
    && chown -R luoshi:luoshi /app/var

USER luoshi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
