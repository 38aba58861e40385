#!/bin/sh
# Entry point of the neo4j service: refuse a password Neo4j 5 would refuse anyway — with a
# message that says so, instead of a container that restarts forever — then start Neo4j.
set -eu
password="${NEO4J_AUTH#neo4j/}"
if [ "${#password}" -lt 8 ]; then
    echo "innograph: NEO4J_PASSWORD is ${#password} characters; Neo4j 5 needs at least 8." >&2
    echo "innograph: set a longer one, e.g. NEO4J_PASSWORD=\$(openssl rand -hex 12) docker compose up" >&2
    exit 64
fi
exec "${NEO4J_ENTRYPOINT:-/startup/docker-entrypoint.sh}" "$@"
