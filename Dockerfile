# The web, worker and beat image (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image, where whitenoise serves them compressed and
# fingerprinted. Settings refuse to load without their production secrets, so this step gets
# placeholders that exist only for it (the key must still be a well-formed Fernet key); the real ones come from the environment at run time.
RUN DEBUG=0 \
    SECRET_KEY=collectstatic-only \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    FIELD_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; var/ holds what the processes may write.
RUN useradd --system --uid 10001 --home-dir /app influence \
    && mkdir -p var \
    && chown influence var
USER influence

EXPOSE 8000
CMD ["gunicorn", "influence.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
