package org.innograph.neo4j;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.kernel.availability.AvailabilityListener;
import org.neo4j.kernel.availability.DatabaseAvailabilityGuard;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.kernel.lifecycle.LifecycleAdapter;
import org.neo4j.logging.InternalLog;
import org.neo4j.logging.internal.LogService;

/**
 * Plans the statements InnoGraph lists (its entity lookup) when a database becomes available,
 * before Neo4j opens its Bolt port.
 *
 * <p>Why: a restarted Neo4j's first queries run the Cypher planner on a cold JVM (interpreted,
 * being compiled) for about a second each on two cores, and it does so after its port already
 * accepts connections. Every client then sees a server that is "up" and does not answer
 * (docs/RELIABILITY.md, issue #17). The availability listener runs synchronously in the
 * database's start, before the DBMS enables Bolt, so the statements in the file named by
 * {@code INNOGRAPH_WARMUP_FILE} (JSON: a list of {@code {"name", "cypher", "params"}},
 * written by {@code graph/server_warmup.py}) are planned first and their plans sit in the query
 * cache (keyed by text and parameter types) when the first client connects.
 *
 * <p>Each statement runs in a transaction of its own that is rolled back: nothing is written.
 * A statement that fails is logged and skipped; the warm-up never fails the database's start.
 * Without {@code INNOGRAPH_WARMUP_FILE} the extension does nothing.
 */
public final class WarmupExtensionFactory extends ExtensionFactory<WarmupExtensionFactory.Dependencies> {

    /** The variable that names the statements file. */
    public static final String FILE_VARIABLE = "INNOGRAPH_WARMUP_FILE";

    /** A statement's transaction is cut short after this long: a warm-up must not hold Bolt shut. */
    private static final long STATEMENT_TIMEOUT_S = 10;

    public interface Dependencies {
        GraphDatabaseAPI graphDatabaseAPI();

        DatabaseAvailabilityGuard availabilityGuard();

        LogService logService();
    }

    public WarmupExtensionFactory() {
        super(ExtensionType.DATABASE, "innograph-warmup");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies deps) {
        return new Warmup(
                deps.graphDatabaseAPI(),
                deps.availabilityGuard(),
                deps.logService().getInternalLog(Warmup.class),
                System.getenv(FILE_VARIABLE));
    }

    static final class Warmup extends LifecycleAdapter implements AvailabilityListener {
        private final GraphDatabaseAPI db;
        private final DatabaseAvailabilityGuard guard;
        private final InternalLog log;
        private final String path;

        Warmup(GraphDatabaseAPI db, DatabaseAvailabilityGuard guard, InternalLog log, String path) {
            this.db = db;
            this.guard = guard;
            this.log = log;
            this.path = path;
        }

        @Override
        public void start() {
            if (path != null && !path.isEmpty() && !db.databaseId().isSystemDatabase()) {
                guard.addListener(this);
            }
        }

        @Override
        public void stop() {
            guard.removeListener(this);
        }

        @Override
        public void unavailable() {}

        @Override
        @SuppressWarnings("unchecked")
        public void available() {
            long begun = System.nanoTime();
            List<Map<String, Object>> statements;
            try {
                // Longs, as Bolt sends integers: the plan cache is keyed by parameter types too.
                statements = new ObjectMapper()
                        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                        .readValue(new File(path), List.class);
            } catch (Exception e) {
                log.warn("innograph-warmup: cannot read %s (no warm-up): %s", path, e);
                return;
            }
            int failed = 0;
            for (Map<String, Object> st : statements) {
                long t = System.nanoTime();
                try (Transaction tx = db.beginTx(STATEMENT_TIMEOUT_S, TimeUnit.SECONDS)) {
                    Result result = tx.execute((String) st.get("cypher"), (Map<String, Object>) st.get("params"));
                    while (result.hasNext()) {
                        result.next();
                    }
                    tx.rollback();
                    log.info("innograph-warmup: %s planned in %d ms", st.get("name"), ms(t));
                } catch (Exception e) {
                    failed++;
                    log.warn("innograph-warmup: %s failed after %d ms: %s", st.get("name"), ms(t), e);
                }
            }
            log.info(
                    "innograph-warmup: %d statements in %d ms, %d failed, database %s",
                    statements.size(), ms(begun), failed, db.databaseName());
        }

        private static long ms(long since) {
            return (System.nanoTime() - since) / 1_000_000;
        }
    }
}
