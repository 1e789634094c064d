import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local folder `pg_receivewal` writes into (a volume that survives restarts). The replication slot advances as
/// WAL reaches this folder, not the repository, so a file leaves it only once it is durable in the repository.
public struct WALSpool: Sendable {
    /// What the folder holds, classified.
    public struct Listing: Sendable, Hashable {
        /// Complete segments, in WAL order: ready to ship, then to remove.
        public var segments: [WALFileName] = []
        /// Timeline history files.
        public var histories: [WALFileName] = []
        /// The segment `pg_receivewal` is writing now, if any.
        public var currentPartial: WALFileName?
        /// Partial segments that will never grow: the last segment of a timeline that ended (a promotion), or a
        /// leftover beside its complete copy.
        public var finishedPartials: [WALFileName] = []

        /// Creates an empty listing.
        public init() {}

        /// The furthest position the spool is known to hold, at segment granularity: the end of the newest complete
        /// segment, or the start of the current partial one if that is further.
        public func knownEnd(segmentSize: UInt64) -> LSN? {
            let complete = segments.last.map { LSN(($0.segmentNumber + 1) * segmentSize) }
            let partial = currentPartial.map { $0.startLSN(segmentSize: segmentSize) }
            return [complete, partial].compactMap { $0 }.max()
        }
    }

    /// The folder.
    public let directory: String
    /// The server's WAL segment size.
    public let segmentSize: UInt64

    /// A spool at `directory` for `segmentSize`-byte segments.
    public init(directory: String, segmentSize: UInt64) {
        self.directory = directory
        self.segmentSize = segmentSize
    }

    /// Creates the folder when missing.
    public func prepare() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LifeboatError(.invalidInput, "cannot create the spool folder \(directory): \((error as NSError).localizedDescription)",
                                hint: "point --spool at a writable folder on a volume that survives restarts")
        }
    }

    /// Lists and classifies the folder.
    public func list() throws -> Listing {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw LifeboatError(.invalidInput, "cannot read the spool folder \(directory): \((error as NSError).localizedDescription)")
        }
        return Self.classify(names, segmentSize: segmentSize)
    }

    /// Classifies file names as `pg_receivewal` leaves them; anything else (temporary files, compressed variants,
    /// foreign files) is ignored.
    public static func classify(_ names: [String], segmentSize: UInt64) -> Listing {
        var listing = Listing()
        var partials: [WALFileName] = []
        for text in names {
            guard let name = WALFileName(text, segmentSize: segmentSize) else { continue }
            switch name.kind {
            case .segment: listing.segments.append(name)
            case .history: listing.histories.append(name)
            case .partial: partials.append(name)
            case .backupHistory: continue
            }
        }
        func key(_ name: WALFileName) -> (UInt64, UInt32) { (name.segmentNumber, name.timeline) }
        listing.segments.sort { key($0) < key($1) }
        listing.histories.sort()
        partials.sort { key($0) < key($1) }
        if let newest = partials.last, listing.segments.last.map({ key($0) < key(newest) }) ?? true {
            listing.currentPartial = newest
            partials.removeLast()
        }
        listing.finishedPartials = partials
        return listing
    }

    /// The full path of a file in the spool.
    public func path(_ name: WALFileName) -> String {
        directory + "/" + name.description
    }

    /// A file's bytes, or nil when it vanished (pg_receivewal renamed a finished partial meanwhile).
    public func read(_ name: WALFileName) throws -> [UInt8]? {
        let full = path(name)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw FileDescriptorIO.posixError(errno, "opening \(full) in the spool")
        }
        defer { close(fd) }
        return try FileDescriptorIO.readAll(fd)
    }

    /// Removes a shipped file from the spool (missing: nothing to do).
    public func remove(_ name: WALFileName) throws {
        let full = path(name)
        if unlink(full) != 0 && errno != ENOENT {
            throw FileDescriptorIO.posixError(errno, "removing \(full) from the spool")
        }
    }

    /// The end of the WAL written into a partial segment: `pg_receivewal` pads the file with zeros, so this is the
    /// position just past its last non-zero byte (nil when nothing was written yet).
    public static func contentEnd(ofPartial bytes: [UInt8], segment: WALFileName, segmentSize: UInt64) -> LSN? {
        guard let last = bytes.lastIndex(where: { $0 != 0 }) else { return nil }
        return LSN(segment.startLSN(segmentSize: segmentSize).value + UInt64(last + 1))
    }
}
