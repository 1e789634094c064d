import KubernetesModels
@testable import ControllerRuntime

/// Collects what an informer told its handlers, as `"ADDED ns/name"` lines.
actor EventRecorder {
    private(set) var lines: [String] = []

    func record<R>(_ event: InformerEvent<R>) where R: KubernetesResource {
        let key = ObjectKey(event.object).map(\.description) ?? "?"
        switch event {
        case .added: lines.append("ADDED \(key)")
        case .updated: lines.append("UPDATED \(key)")
        case .deleted: lines.append("DELETED \(key)")
        }
    }

    func contains(_ line: String) -> Bool { lines.contains(line) }
}
