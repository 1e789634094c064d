/// Checks a WAL segment's first page header against its name and the cluster it is archived for, before it goes
/// into the archive: the system identifier (another cluster's WAL must never be mixed in), the segment size, and the
/// page address (a renamed or copied file holds WAL of another position). History and backup history files have no
/// page header and pass unchecked.
public enum WALSegmentCheck {
    /// Throws `.conflict` for another cluster's segment and `.integrity` for a header that does not fit the name.
    public static func check(_ bytes: [UInt8], name: WALFileName, identity: ClusterIdentity) throws {
        guard name.kind == .segment || name.kind == .partial else { return }
        guard let system = ClusterIdentity.systemIdentifier(segmentHeader: bytes),
              let address = ClusterIdentity.pageAddress(segmentHeader: bytes) else {
            throw LifeboatError(.integrity, "\(name) does not start with a WAL page header (\(bytes.count) bytes); it is not archived",
                                hint: "check the file in pg_wal; archive_command must pass %p")
        }
        guard system == identity.systemIdentifier else {
            throw LifeboatError(
                .conflict,
                "\(name) belongs to cluster system \(system), but the data directory is cluster \(identity); it is not archived",
                hint: "the segment was copied from another server; WAL of two clusters is never mixed")
        }
        let size = ClusterIdentity.segmentSize(segmentHeader: bytes)
        guard size == identity.walSegmentSize else {
            throw LifeboatError(.integrity, "\(name) has \(size.map(String.init) ?? "no valid") segment size in its header, but the cluster uses \(identity.walSegmentSize)-byte segments; it is not archived")
        }
        let expected = name.startLSN(segmentSize: identity.walSegmentSize)
        guard address == expected else {
            throw LifeboatError(.integrity, "\(name) holds WAL starting at \(address), not \(expected) as its name says; it is not archived",
                                hint: "the file was renamed or copied by hand")
        }
        if name.kind == .segment, UInt64(bytes.count) != identity.walSegmentSize {
            throw LifeboatError(.integrity, "\(name) is \(bytes.count) bytes, but a segment of this cluster is \(identity.walSegmentSize); it is not archived",
                                hint: "PostgreSQL only archives complete segments; the file is damaged or still being written")
        }
    }
}
