import KubernetesModels
import LifeboatAPI
import Testing

@Suite struct ConditionTests {
    @Test func givenNoConditions_whenOneIsSet_thenItIsAddedWithTheTransitionTime() {
        var status = BackupPolicyStatus()
        let changed = status.setCondition(.ready, status: .false, reason: .secretNotFound, message: "m", observedGeneration: 1, now: "2026-11-21T10:00:00Z")
        #expect(changed)
        #expect(status.condition(.ready)?.lastTransitionTime == "2026-11-21T10:00:00Z")
        #expect(status.condition(.ready)?.reason == "SecretNotFound")
    }

    @Test func givenACondition_whenSetAgainWithTheSameStatus_thenTheTransitionTimeStaysAndOnlyRealChangesCount() {
        var status = BackupPolicyStatus()
        status.setCondition(.ready, status: .false, reason: .secretNotFound, message: "m", observedGeneration: 1, now: "2026-11-21T10:00:00Z")
        let same = status.setCondition(.ready, status: .false, reason: .secretNotFound, message: "m", observedGeneration: 1, now: "2026-11-21T10:05:00Z")
        #expect(!same)
        let newReason = status.setCondition(.ready, status: .false, reason: .secretKeyMissing, message: "m2", observedGeneration: 2, now: "2026-11-21T10:06:00Z")
        #expect(newReason)
        #expect(status.condition(.ready)?.lastTransitionTime == "2026-11-21T10:00:00Z")
        #expect(status.condition(.ready)?.observedGeneration == 2)
    }

    @Test func givenACondition_whenItsStatusFlips_thenTheTransitionTimeMoves() {
        var status = BackupPolicyStatus()
        status.setCondition(.ready, status: .false, reason: .secretNotFound, message: "m", observedGeneration: 1, now: "2026-11-21T10:00:00Z")
        status.setCondition(.ready, status: .true, reason: .childrenReady, message: "ok", observedGeneration: 1, now: "2026-11-21T10:07:00Z")
        #expect(status.condition(.ready)?.lastTransitionTime == "2026-11-21T10:07:00Z")
        #expect(status.conditions?.count == 1)
    }

    @Test func givenConditionsSetInAnyOrder_whenRead_thenTheyAreInTypeOrderAndRemovable() {
        var status = BackupPolicyStatus()
        status.setCondition(.walArchiving, status: .true, reason: .walHealthy, message: "", observedGeneration: 1, now: "t")
        status.setCondition(.ready, status: .true, reason: .childrenReady, message: "", observedGeneration: 1, now: "t")
        status.setCondition(.backupFresh, status: .unknown, reason: .noBackupYet, message: "", observedGeneration: 1, now: "t")
        #expect(status.conditions?.map(\.type) == ["Ready", "BackupFresh", "WALArchiving"])
        let removed = status.removeCondition(.walArchiving)
        let removedAgain = status.removeCondition(.walArchiving)
        #expect(removed && !removedAgain)
        #expect(status.conditions?.map(\.type) == ["Ready", "BackupFresh"])
    }
}
