import Foundation

/// Reads WAL records of archived segments, for what the archive alone cannot say: the last commit time (the end of
/// the window for a time target), the last record (for an LSN target), where a transaction committed, where a
/// restore point was made.
public protocol WALRecordSource: Sendable {
    /// The records of segments `first` through `last` along `lineage`, in WAL order. Segments that are not archived
    /// are skipped.
    func records(on lineage: TimelineLineage, from first: UInt64, through last: UInt64) async throws -> [WALRecordSummary]
}

/// Reads archived segments with `pg_waldump`: fetches them (decrypted and checksum-verified, as `wal-fetch` would)
/// into a private scratch folder, a batch at a time, and parses the tool's output with `TZ=UTC`.
public struct WALInspector: WALRecordSource {
    /// The archive to read.
    public let archive: WALArchive
    /// Keys for encrypted segments.
    public let keyring: EncryptionKeyring?
    /// Where `pg_waldump` is.
    public let binaries: PostgresBinaries
    /// Segments per `pg_waldump` run (each batch is on disk at once).
    public var batchSize: UInt64 = 16

    /// Creates an inspector.
    public init(archive: WALArchive, keyring: EncryptionKeyring?, binaries: PostgresBinaries) {
        self.archive = archive
        self.keyring = keyring
        self.binaries = binaries
    }

    public func records(on lineage: TimelineLineage, from first: UInt64, through last: UInt64) async throws -> [WALRecordSummary] {
        guard first <= last else { return [] }
        let size = archive.identity.walSegmentSize
        // Runs of consecutive segments on one timeline: pg_waldump reads one timeline's files in order.
        var runs: [(timeline: UInt32, first: UInt64, last: UInt64)] = []
        for number in first...last {
            let timeline = lineage.timeline(ofSegment: number, segmentSize: size)
            if let run = runs.last, run.timeline == timeline, run.last + 1 == number {
                runs[runs.count - 1].last = number
            } else {
                runs.append((timeline, number, number))
            }
        }
        var records: [LSN: WALRecordSummary] = [:]
        for run in runs {
            // Batches overlap by one segment so that a record crossing a batch boundary is read whole once.
            var start = run.first
            while true {
                let end = min(run.last, start + batchSize - 1)
                for record in try await dump(timeline: run.timeline, from: start, through: end) { records[record.lsn] = record }
                if end >= run.last { break }
                start = end
            }
        }
        return records.values.sorted { $0.lsn < $1.lsn }
    }

    private func dump(timeline: UInt32, from first: UInt64, through last: UInt64) async throws -> [WALRecordSummary] {
        let size = archive.identity.walSegmentSize
        let folder = try TemporaryFiles.makeDirectory(prefix: "lifeboat-waldump")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var present: [WALFileName] = []
        for number in first...last {
            let name = WALFileName(timeline: timeline, segmentNumber: number, segmentSize: size)
            var partial = name
            partial.kind = .partial
            // A segment only archived as .partial is read from it, as wal-fetch serves it.
            var fetched = try await archive.fetch(name, keyring: keyring)
            if fetched == nil { fetched = try await archive.fetch(partial, keyring: keyring) }
            guard let bytes = fetched else {
                if present.isEmpty { continue } else { break }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name.description))
            present.append(name)
        }
        guard let start = present.first, let end = present.last else { return [] }
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = "UTC"
        environment["LC_ALL"] = "C"
        let child = try ChildProcess(executable: try binaries.path("pg_waldump"),
                                     arguments: ["--path", folder, "--timeline", String(timeline), start.description, end.description],
                                     environment: environment)
        let fd = child.stdoutFD
        let output = try await runBlocking { try FileDescriptorIO.readAll(fd) }
        let (status, stderr) = try await child.waitForExit()
        let records = String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { WALRecordSummary.parse(line: String($0)) }
        // pg_waldump exits 1 when it reaches the end of the WAL it was given (an unused tail, a switch record's
        // padding): that is the normal end here. Anything else, or no record at all, is a real failure.
        if status != 0 && (status != 1 || records.isEmpty) {
            throw LifeboatError(.tool, "pg_waldump could not read archived WAL \(start) … \(end): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))",
                                hint: "the segments may be damaged; run `lifeboat check`")
        }
        return records
    }
}
