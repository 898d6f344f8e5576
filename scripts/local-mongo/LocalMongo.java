import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * The local MongoDB substitute for development and tests: mongo-java-server on loopback, with the
 * in-memory backend (tests) or the H2 file backend (`npm run up`, data kept across restarts).
 * Production runs MongoDB 7; see the README ("Local services") for what this server does not do.
 *
 * Three things differ from the library as shipped:
 * - it reports MongoDB 4.4 (wire version 9): the Node.js driver refuses the 5.0/wire 8 it ships with;
 * - a query that requires a plain equality on every key of a unique index (e.g. `{_id, version}`,
 *   `{$and: [{_id}, scope]}`, or `{_id: {$in: […]}, status}`) is narrowed through that index before the whole filter is applied;
 *   as shipped, a unique index is used only when the filter has exactly its keys, so every
 *   conditional update scanned the collection;
 * - with the H2 file backend every write is committed before it is acknowledged;
 * - what a read sends is a copy taken under the collection's lock. As shipped, an update changes
 *   the stored document in place, and a read's answer (or a cursor's later batches) held the stored
 *   documents themselves: an answer still being encoded could show a later write, half of one, or
 *   fail, and two concurrent `$inc`s through findAndModify both answered the second value. The
 *   library's own writes find their targets through the same query path and change what they find,
 *   so within a write nothing is copied.
 *
 * Usage: java -cp … LocalMongo --port 27017 [--bind 127.0.0.1] [--file path.mv]
 *   without --file the data lives in memory and is gone when the process ends.
 */
public final class LocalMongo {

    private static final MongoVersion REPORTED = new MongoVersion() {
        @Override public List<Integer> getVersionArray() { return List.of(4, 4, 0); }
        @Override public int getWireVersion() { return 9; }
    };

    public static void main(String[] args) throws InterruptedException {
        int port = 27017;
        String bind = "127.0.0.1";
        String file = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--bind" -> bind = args[i + 1];
                case "--file" -> file = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MongoBackend backend = file == null ? new LocalMemoryBackend() : new LocalH2Backend(file);
        backend.version(REPORTED);
        MongoServer server = new MongoServer(backend);
        server.bind(bind, port);
        System.out.println("[local-mongo] listening on " + bind + ":" + port
            + (file == null ? " (memory)" : " (h2 " + file + ")"));
        // SIGTERM/SIGINT: stop accepting, then close the backend, which commits the H2 store.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Plain equality values an index lookup compares the same way the query matcher does. */
    private static boolean isPlainValue(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
            || value instanceof ObjectId || value instanceof Date || value instanceof Instant
            || value instanceof UUID;
    }

    /** `{$in: [plain values]}`, which a single-key unique index serves as well as an equality. */
    private static boolean isInOfPlainValues(Object value) {
        return value instanceof Document doc && doc.size() == 1
            && doc.get("$in") instanceof Collection<?> values
            && values.stream().allMatch(LocalMongo::isPlainValue);
    }

    /**
     * The plain equalities (or `$in` lists of plain values) a query requires: its top-level ones and those of the conditions of a
     * top-level `$and` (the application narrows a filter by a scope that way).
     */
    static Document requiredEqualities(Document query) {
        Document equalities = new Document();
        for (String key : query.keySet()) {
            Object value = query.get(key);
            if (key.equals("$and") && value instanceof Collection<?> conditions) {
                for (Object condition : conditions) {
                    if (!(condition instanceof Document part)) continue;
                    Document inner = requiredEqualities(part);
                    for (String innerKey : inner.keySet()) equalities.putIfAbsent(innerKey, inner.get(innerKey));
                }
            } else if (isPlainValue(value) || isInOfPlainValues(value)) {
                equalities.putIfAbsent(key, value);
            }
        }
        return equalities;
    }

    /**
     * The positions of a unique index whose keys all have a plain equality the query requires, when
     * the query says more than that; null when no such index exists. Every document of the result is
     * still matched against the whole query by the caller.
     */
    static <P> Iterable<P> narrowedPositions(List<Index<P>> indexes, Document query) {
        Document equalities = requiredEqualities(query);
        if (equalities.isEmpty()) return null;
        for (Index<P> index : indexes) {
            if (!index.isUnique()) continue;
            Document keys = new Document();
            for (IndexKey key : index.getKeys()) {
                if (!equalities.containsKey(key.getKey())) { keys = null; break; }
                keys.put(key.getKey(), equalities.get(key.getKey()));
            }
            if (keys != null && !keys.keySet().equals(query.keySet()) && index.canHandle(keys)) {
                return index.getPositions(keys);
            }
        }
        return null;
    }

    /** Set while one of the library's writes runs on this thread (see the class comment). */
    private static final ThreadLocal<Boolean> WRITING = ThreadLocal.withInitial(() -> false);

    /** Runs one of the library's writes with its queries answering the stored documents themselves. */
    static <T> T writing(Supplier<T> write) {
        boolean outer = WRITING.get();
        WRITING.set(true);
        try { return write.get(); } finally { WRITING.set(outer); }
    }

    /**
     * A read's documents as copies of their top level; a write's as they are. The top level is
     * enough: an update computes the new document from a deep clone and then replaces the stored
     * document's top-level entries, so the values a copy refers to are never changed afterwards
     * (and copying only the top level costs a fraction of a deep copy on a 100k-document aggregation).
     */
    static List<Document> forReaders(List<Document> documents) {
        if (WRITING.get()) return documents;
        List<Document> copied = new ArrayList<>(documents.size());
        for (Document document : documents) copied.add(new Document(document));
        return copied;
    }

    /**
     * findAndModify's answer with its `value` (the stored document itself, as shipped) copied; the
     * caller holds the collection's lock.
     */
    static Document withCopiedValue(Document answer) {
        if (answer != null && answer.get("value") instanceof Document value) answer.put("value", value.cloneDeeply());
        return answer;
    }

    static final class LocalMemoryBackend extends MemoryBackend {
        @Override
        public MemoryDatabase openOrCreateDatabase(String name) {
            return new MemoryDatabase(name, getCursorRegistry()) {
                @Override
                protected MemoryCollection openOrCreateCollection(String collection, CollectionOptions options) {
                    return new MemoryCollection(this, collection, options, cursorRegistry) {
                        @Override
                        protected QueryResult createQueryResult(List<Document> documents, int batchSize) {
                            return super.createQueryResult(forReaders(documents), batchSize);
                        }

                        @Override
                        public synchronized Document findAndModify(Document query) {
                            return writing(() -> withCopiedValue(super.findAndModify(query)));
                        }

                        @Override
                        public Document updateDocuments(Document selector, Document update, ArrayFilters filters,
                                                        boolean multi, boolean upsert, Oplog oplog) {
                            return writing(() -> super.updateDocuments(selector, update, filters, multi, upsert, oplog));
                        }

                        @Override
                        public int deleteDocuments(Document selector, int limit, Oplog oplog) {
                            return writing(() -> super.deleteDocuments(selector, limit, oplog));
                        }

                        @Override
                        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit,
                                                             int batchSize, Document fields) {
                            Iterable<Integer> positions = narrowedPositions(getIndexes(), query);
                            return positions == null
                                ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                                : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
                        }
                    };
                }
            };
        }
    }

    static final class LocalH2Backend extends H2Backend {
        // The H2 database's own store field is set only after its constructor has opened the
        // existing collections, which calls openOrCreateCollection: so the store is passed here.
        private static MVStore store;

        LocalH2Backend(String file) {
            super(open(file));
        }

        private static MVStore open(String file) {
            store = MVStore.open(file);
            return store;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            return new H2Database(name, store, getCursorRegistry()) {
                @Override
                protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
                    // The map names H2Database uses (pinned with the library's version in pom.xml).
                    String full = getFullCollectionNamespace(collection);
                    MVMap<Object, Document> data = store.openMap("databases." + full);
                    MVMap<String, Object> meta = store.openMap("meta." + full);
                    return new H2Collection(this, collection, options, data, meta, cursorRegistry) {
                        // Each write is committed to the file before it is acknowledged, so a
                        // killed server keeps every acknowledged write (H2 alone commits about
                        // once a second).
                        @Override
                        public List<Document> insertDocuments(List<Document> documents, boolean ordered) {
                            try { return super.insertDocuments(documents, ordered); } finally { store.commit(); }
                        }

                        @Override
                        public Document updateDocuments(Document selector, Document update, ArrayFilters filters,
                                                        boolean multi, boolean upsert, Oplog oplog) {
                            try { return writing(() -> super.updateDocuments(selector, update, filters, multi, upsert, oplog)); }
                            finally { store.commit(); }
                        }

                        @Override
                        public int deleteDocuments(Document selector, int limit, Oplog oplog) {
                            try { return writing(() -> super.deleteDocuments(selector, limit, oplog)); } finally { store.commit(); }
                        }

                        @Override
                        public synchronized Document findAndModify(Document query) {
                            try { return writing(() -> withCopiedValue(super.findAndModify(query))); } finally { store.commit(); }
                        }

                        @Override
                        protected QueryResult createQueryResult(List<Document> documents, int batchSize) {
                            return super.createQueryResult(forReaders(documents), batchSize);
                        }

                        @Override
                        protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit,
                                                             int batchSize, Document fields) {
                            Iterable<Object> positions = narrowedPositions(getIndexes(), query);
                            return positions == null
                                ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
                                : matchDocuments(query, positions, orderBy, skip, limit, batchSize, fields);
                        }
                    };
                }
            };
        }
    }

    private LocalMongo() {}
}
