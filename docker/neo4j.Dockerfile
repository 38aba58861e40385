# The neo4j service's image (docker-compose.yml): the official Neo4j 5.26 Community image with
# InnoGraph's warm-up extension (scripts/neo4j/warmup). When the database becomes available the
# extension plans the API's entity lookup (scripts/neo4j/warmup/statements.json, written by
# `python -m graph.server_warmup`) in a rolled-back transaction, before Neo4j opens its Bolt
# port: a restarted Neo4j that accepts connections then answers the lookup at once instead of
# planning it cold for a second or more (docs/RELIABILITY.md, issue #17). scripts/neo4j-local
# does the same for the local server.
FROM neo4j:5.26-community AS neo4j

# Stage 1: compile the extension against this image's own Neo4j jars.
FROM eclipse-temurin:17-jdk AS warmup
COPY --from=neo4j /var/lib/neo4j/lib /neo4j/lib
COPY scripts/neo4j/warmup/src /src
RUN mkdir -p /out/classes \
    && javac --release 17 -nowarn -cp '/neo4j/lib/*' -d /out/classes $(find /src/main/java -name '*.java') \
    && cp -r /src/main/resources/. /out/classes/ \
    && jar cf /out/innograph-warmup.jar -C /out/classes .

# Stage 2: Neo4j with the extension on its class path (lib/, not /plugins, which a user may mount).
FROM neo4j:5.26-community
COPY --from=warmup /out/innograph-warmup.jar /var/lib/neo4j/lib/innograph-warmup.jar
COPY scripts/neo4j/warmup/statements.json /innograph/warmup-statements.json
ENV INNOGRAPH_WARMUP_FILE=/innograph/warmup-statements.json
