/// Sample data for the demo: a small shop with varied column types, and a second database.
enum DemoData {
    static func load(connection: ConnectionSettings, scale: Int) async throws {
        let admin = try await PGConnection.connect(connection)
        try await admin.run("CREATE DATABASE shop")
        try await admin.run("CREATE DATABASE inventory")
        admin.close()
        let shop = try await PGConnection.connect(connection, database: "shop")
        defer { shop.close() }
        let customers = max(1, scale / 4)
        for statement in [
            "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text UNIQUE, created timestamptz NOT NULL, profile jsonb)",
            "INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com', timestamptz '2024-01-01' + i * interval '37 minutes', jsonb_build_object('tier', i % 3, 'tags', jsonb_build_array('a', i % 7)) FROM generate_series(1, \(customers)) i",
            "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers(id), total numeric(12,2), status text CHECK (status IN ('new','paid','shipped')), note text, placed timestamptz)",
            "INSERT INTO orders (customer_id, total, status, note, placed) SELECT 1 + i % \(customers), (i * 7.31) % 1000, (ARRAY['new','paid','shipped'])[1 + i % 3], CASE WHEN i % 11 = 0 THEN NULL ELSE repeat('x', i % 40) END, timestamptz '2025-01-01' + i * interval '1 minute' FROM generate_series(1, \(scale)) i",
            "CREATE TABLE order_items (order_id bigint REFERENCES orders(id), line int, sku text, qty int, payload bytea, PRIMARY KEY (order_id, line))",
            "INSERT INTO order_items SELECT o, l, 'SKU-' || (o * l) % 997, 1 + (o + l) % 5, decode(md5(o::text || '-' || l), 'hex') FROM generate_series(1, \(scale)) o, generate_series(1, 3) l",
            "CREATE INDEX ON orders (customer_id)",
            "CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'paid'",
            "ANALYZE",
        ] {
            try await shop.run(statement)
        }
        let inventory = try await PGConnection.connect(connection, database: "inventory")
        defer { inventory.close() }
        try await inventory.run("CREATE TABLE stock (sku text PRIMARY KEY, on_hand int, updated date)")
        try await inventory.run("INSERT INTO stock SELECT 'SKU-' || i, i % 50, date '2025-06-01' + i % 30 FROM generate_series(0, 996) i")
    }
}
