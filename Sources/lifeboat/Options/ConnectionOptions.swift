import ArgumentParser
import BackupEngine

/// `-h -p -U` as pg_dump has them. Everything else (password, TLS, service files) comes from the standard
/// libpq environment: PGPASSWORD, PGPASSFILE, PGSSLMODE, PGSSLROOTCERT, PGSERVICE …
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("h"), .long], help: "PostgreSQL host or socket folder (default: PGHOST, else the local socket).")
    var host: String?

    @Option(name: [.customShort("p"), .long], help: "PostgreSQL port (default: PGPORT, else 5432).")
    var port: Int?

    @Option(name: [.customShort("U"), .long], help: "PostgreSQL user (default: PGUSER, else the OS user). The password comes from PGPASSWORD or ~/.pgpass, never from a flag.")
    var username: String?

    @Option(name: .customLong("maintenance-db"), help: "Database for catalog queries (default: PGDATABASE, else postgres).")
    var maintenanceDatabase: String?

    var settings: ConnectionSettings {
        ConnectionSettings(host: host, port: port, user: username, maintenanceDatabase: maintenanceDatabase)
    }
}
