# The InnoGraph API image (used by docker-compose.yml). It carries the reference lists the
# product needs (build/reference, written by `make reference-bundle`: openly licensed lists
# only, never the real-* exports), so the first-start loader builds the full graph offline.

# Stage 1: the wheel. The image installs it non-editable, as a user would: the Cypher, the web
# page, the demo specs and the reference CSVs all come from package data, not from a checkout.
FROM python:3.11-slim AS wheel
ENV PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY demo ./demo
COPY api ./api
COPY analytics ./analytics
COPY match ./match
COPY text ./text
COPY innograph_cli ./innograph_cli
RUN pip wheel --no-deps -w /dist .

# Stage 2: the runtime dependencies and the wheel, no sources.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    INNOGRAPH_SHARED_DATA=/app/reference
WORKDIR /app
# Fails here with "build/reference: not found" until `make reference-bundle` has run.
COPY build/reference ./reference
COPY --from=wheel /dist /dist
RUN pip install /dist/innograph-*.whl && rm -rf /dist \
    && useradd --system --uid 10001 innograph && mkdir -p /var/lib/innograph /import \
    && chown innograph /var/lib/innograph
USER innograph
EXPOSE 8000
# First start loads the graph once (innograph bootstrap); innograph serve trusts proxy headers only
# from INNOGRAPH_TRUSTED_PROXIES (docs/SECURITY.md).
CMD ["sh", "-c", "innograph bootstrap && exec innograph serve --host 0.0.0.0 --port 8000 --workers 2"]
