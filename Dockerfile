# The portal's image: the same image runs web (gunicorn), worker and beat (celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# WeasyPrint's system libraries (Pango, HarfBuzz) and fonts with Finnish and Swedish letters.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
# PYTHONDONTWRITEBYTECODE: no process writes .pyc files, so they are compiled here, once; otherwise every web and
# worker process compiles the dependencies it imports from source when it starts (WeasyPrint alone: a second
# before a first PDF).
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode
COPY . .
# The static files with production's storage (DEBUG=0): hashed names, compressed copies and the manifest that
# every page needs. Production settings refuse to load without a secret; collectstatic gets a throwaway one.
RUN DEBUG=0 ALLOWED_HOSTS=localhost SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput

# Uploads and private documents (agreements) live on volumes (docker-compose.yml); Docker copies these
# directories' owner into a new named volume, so the app's user can write there.
RUN useradd --system --uid 10001 kaiku \
 && mkdir -p /app/media /app/private-media \
 && chown kaiku /app/media /app/private-media
USER kaiku
EXPOSE 8000
CMD ["gunicorn", "kaikukeskus.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
