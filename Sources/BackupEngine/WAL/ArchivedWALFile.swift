import Foundation

/// A WAL file present in the archive.
public struct ArchivedWALFile: Sendable, Hashable {
    /// Its WAL name.
    public var name: WALFileName
    /// Its repository path.
    public var path: String
    /// Stored size.
    public var storedBytes: Int64
    /// When the storage wrote it.
    public var modified: Date

    /// Creates a record.
    public init(name: WALFileName, path: String, storedBytes: Int64, modified: Date) {
        self.name = name
        self.path = path
        self.storedBytes = storedBytes
        self.modified = modified
    }
}
