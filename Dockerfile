# The InnoGraph API image (used by docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY api ./api
COPY analytics ./analytics
COPY match ./match
COPY text ./text
COPY innograph_cli ./innograph_cli
COPY cypher ./cypher
COPY specs ./specs
RUN pip install -e . && useradd --system --uid 10001 innograph && mkdir -p /var/lib/innograph \
    && chown innograph /var/lib/innograph
USER innograph
EXPOSE 8000
# innograph serve: proxy headers only from INNOGRAPH_TRUSTED_PROXIES (docs/SECURITY.md)
CMD ["innograph", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
