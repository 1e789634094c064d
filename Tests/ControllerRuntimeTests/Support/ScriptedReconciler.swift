import KubernetesClient
import KubernetesModels
@testable import ControllerRuntime

/// A reconciler that follows a script of outcomes per call and records when each call happened.
actor ScriptedReconciler: Reconciler {
    enum Step: Sendable {
        case fail
        case conflict
        case requeue(Duration)
        case done
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "scripted failure" }
    }

    private var script: [Step]
    private(set) var calls: [(key: ObjectKey, at: ContinuousClock.Instant)] = []
    private var running = 0
    private(set) var maxConcurrent = 0
    let workTime: Duration

    init(_ script: [Step], workTime: Duration = .zero) {
        self.script = script
        self.workTime = workTime
    }

    var callCount: Int { calls.count }

    /// Gaps between consecutive calls.
    var gaps: [Duration] {
        zip(calls.dropFirst(), calls).map { $0.at - $1.at }
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        calls.append((key, .now))
        running += 1
        maxConcurrent = max(maxConcurrent, running)
        defer { running -= 1 }
        if workTime > .zero { try await Task.sleep(for: workTime) }
        let step = script.isEmpty ? .done : script.removeFirst()
        switch step {
        case .fail: throw Failure()
        case .conflict:
            throw KubernetesError(status: Status(message: "the object has been modified", reason: "Conflict", code: 409), httpStatus: 409)
        case .requeue(let delay): return .requeue(after: delay)
        case .done: return .done
        }
    }
}
