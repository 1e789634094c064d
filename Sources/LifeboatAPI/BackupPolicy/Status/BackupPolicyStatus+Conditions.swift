import KubernetesModels

extension BackupPolicyStatus {
    /// Sets the condition of `type`, keeping its `lastTransitionTime` unless the status flips (Kubernetes API
    /// conventions), and keeps the conditions ordered by type. Returns whether anything changed, so the caller writes
    /// status only when needed.
    @discardableResult
    public mutating func setCondition(
        _ type: BackupPolicyConditionType, status: ConditionStatus, reason: ConditionReason, message: String,
        observedGeneration: Int64?, now: String
    ) -> Bool {
        var list = conditions ?? []
        let previous = list.firstIndex { $0.type == type.rawValue }
        let transition = previous.map { list[$0].status == status ? list[$0].lastTransitionTime : now } ?? now
        let updated = Condition(
            type: type.rawValue, status: status, observedGeneration: observedGeneration, lastTransitionTime: transition,
            reason: reason.rawValue, message: message
        )
        if let previous {
            if list[previous] == updated { return false }
            list[previous] = updated
        } else {
            list.append(updated)
        }
        let order = BackupPolicyConditionType.allCases.map(\.rawValue)
        list.sort { (order.firstIndex(of: $0.type) ?? order.count, $0.type) < (order.firstIndex(of: $1.type) ?? order.count, $1.type) }
        conditions = list
        return true
    }

    /// Removes the condition of `type` (e.g. WALArchiving when WAL is disabled); returns whether it was there.
    @discardableResult
    public mutating func removeCondition(_ type: BackupPolicyConditionType) -> Bool {
        guard let index = conditions?.firstIndex(where: { $0.type == type.rawValue }) else { return false }
        conditions?.remove(at: index)
        if conditions?.isEmpty == true { conditions = nil }
        return true
    }
}
