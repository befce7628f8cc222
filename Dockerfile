FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --system --create-home annotator

COPY pyproject.toml README.md ./
COPY annotator ./annotator
RUN pip install .
COPY manage.py gunicorn.conf.py ./
COPY templates ./templates
COPY static ./static
COPY demo ./demo

# collectstatic needs settings that import; these placeholders are not used at run time.
RUN DEBUG=0 SECRET_KEY=build-only DATABASE_URL=postgresql://build@localhost/build \
    python manage.py collectstatic --no-input

USER annotator
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn annotator.wsgi"]
