import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct RunResultReaderTests {
    @Test func givenACompletedJobWhosePodWroteAResult_whenRead_thenTheBackupSucceededWithItsIdAndSize() throws {
        let job = try StatusFixtures.succeededJob()
        let pod = try StatusFixtures.succeededPod(of: job, message: StatusFixtures.message(StatusFixtures.backupResult()))
        let run = try #require(RunResultReader.read(job: job, pods: [pod]))
        #expect(run.succeeded)
        #expect(run.backupKind == .logical)
        #expect(run.jobName == "orders-logical-29920912")
        #expect(run.finishedAt == "2026-11-21T09:52:01Z")
        let entry = try #require(run.recentRun)
        #expect(entry.outcome == .succeeded)
        #expect(entry.record.backupId == "20261121T095200Z-1a2b")
        #expect(entry.record.sizeBytes == 1_048_576)
        #expect(run.message.contains("1.0 MiB read"))
    }

    @Test func givenSample14dWhoseMessageIsNotAWorkerResult_whenRead_thenItIsAFailureNotAFalseSuccess() throws {
        // The captured pod wrote `{"ok":true}\n`: a Job that completed, but no result that proves a backup was stored.
        let job = try StatusFixtures.succeededJob()
        let pod = try StatusFixtures.decode(Pod.self, "14d-cronjob-pod-succeeded.txt")
        var owned = pod
        owned.metadata.ownerReferences = [OwnerReference(apiVersion: "batch/v1", kind: "Job", name: job.metadata.name!, uid: job.metadata.uid!, controller: true)]
        let run = try #require(RunResultReader.read(job: job, pods: [owned]))
        #expect(!run.succeeded)
        #expect(run.failureCause == "NoResult")
        #expect(run.message.contains(#"{"ok":true}"#))
        #expect(run.message.contains("kubectl logs job/orders-logical-29920912 -n demo"))
    }

    @Test func givenSample15abFailedWithExitCode3AndAPlainMessage_whenRead_thenTheMessageNamesExitCodeReasonAndLogs() throws {
        let job = try StatusFixtures.failedJob()
        let pod = try StatusFixtures.failedPod(of: job, message: "disk full\n")
        let run = try #require(RunResultReader.read(job: job, pods: [pod]))
        #expect(!run.succeeded)
        #expect(run.failureCause == "Error")
        #expect(run.message == "logical backup job orders-logical-29920913 failed with exit code 3 (Error) and wrote no readable result (its termination message says: \"disk full\"); see `kubectl logs job/orders-logical-29920913 -n demo`")
        #expect(run.finishedAt == "2026-11-21T09:51:21Z")
        #expect(run.recentRun?.outcome == .failed)
    }

    @Test func givenAFailedJobWithNoTerminationMessage_whenRead_thenItSaysItWroteNoResult() throws {
        let job = try StatusFixtures.failedJob()
        let run = try #require(RunResultReader.read(job: job, pods: [StatusFixtures.failedPod(of: job, message: nil)]))
        #expect(run.message.hasPrefix("logical backup job orders-logical-29920913 failed with exit code 3 (Error) and wrote no result; see `kubectl logs"))
    }

    @Test func givenAWorkerResultWithAnError_whenRead_thenTheWorkersMessageAndCodeAreKept() throws {
        let job = try StatusFixtures.failedJob()
        let result = WorkerResult(command: "backup", ok: false, kind: .logical, error: .init(code: "repository_unreachable", message: "S3 bucket backups is unreachable: timeout"))
        let run = try #require(RunResultReader.read(job: job, pods: [StatusFixtures.failedPod(of: job, message: StatusFixtures.message(result), exitCode: 1)]))
        #expect(!run.succeeded)
        #expect(run.failureCause == "repository_unreachable")
        #expect(run.message.contains("S3 bucket backups is unreachable: timeout (repository_unreachable)"))
    }

    @Test func givenABackupWhosePruneFailedExitCode4_whenRead_thenTheBackupSucceededAndThePruneFailureIsApart() throws {
        let job = try StatusFixtures.failedJob()
        let result = StatusFixtures.backupResult(prune: .init(ok: false, deleted: 0, kept: 0, error: "AccessDenied on DeleteObject"))
        let run = try #require(RunResultReader.read(job: job, pods: [StatusFixtures.failedPod(of: job, message: StatusFixtures.message(result), exitCode: 4)]))
        #expect(run.succeeded)
        #expect(run.pruneFailed)
        #expect(run.recentRun?.outcome == .succeeded)
        #expect(run.recentRun?.record.prune?.ok == false)
        #expect(run.message.contains("AccessDenied on DeleteObject"))
    }

    @Test func givenAnOOMKilledPod_whenRead_thenTheMessageSaysToRaiseTheMemoryLimit() throws {
        let job = try StatusFixtures.failedJob()
        let run = try #require(RunResultReader.read(job: job, pods: [StatusFixtures.failedPod(of: job, message: nil, exitCode: 137, reason: "OOMKilled")]))
        #expect(run.failureCause == "OOMKilled")
        #expect(run.message.contains("ran out of memory (OOMKilled, exit code 137)"))
        #expect(run.message.contains("spec.pod.resources.limits.memory"))
    }

    @Test func givenAJobStoppedByItsDeadline_whenRead_thenTheMessageSaysDeadlineExceeded() throws {
        var job = try StatusFixtures.failedJob()
        let conditions = job.status?.conditions?.map { condition in
            var changed = condition
            changed.reason = "DeadlineExceeded"
            changed.message = "Job was active longer than specified deadline"
            return changed
        }
        job.status?.conditions = conditions
        job.spec?.activeDeadlineSeconds = 3600
        let run = try #require(RunResultReader.read(job: job, pods: []))
        #expect(run.failureCause == "DeadlineExceeded")
        #expect(run.message.contains("activeDeadlineSeconds = 3600s"))
    }

    @Test func givenAFailedJobWhosePodIsGone_whenRead_thenTheMessageSaysBackoffLimitExceededAndToDescribeTheJob() throws {
        let job = try StatusFixtures.failedJob()
        let run = try #require(RunResultReader.read(job: job, pods: []))
        #expect(run.failureCause == "BackoffLimitExceeded")
        #expect(run.message.contains("BackoffLimitExceeded: Job has reached the specified backoff limit"))
        #expect(run.message.contains("kubectl describe job/orders-logical-29920913"))
    }

    @Test func givenARunningJob_whenRead_thenThereIsNoRunYet() throws {
        var job = try StatusFixtures.succeededJob()
        job.status = JobStatus(startTime: "2026-11-21T09:52:00Z", active: 1)
        #expect(RunResultReader.read(job: job, pods: []) == nil)
        #expect(!RunResultReader.isFinished(job))
    }

    @Test func givenAPodOfAnotherJob_whenRead_thenItsResultIsNotUsed() throws {
        let job = try StatusFixtures.succeededJob()
        let other = try StatusFixtures.succeededJob(name: "orders-logical-1")
        let pod = try StatusFixtures.succeededPod(of: other, message: StatusFixtures.message(StatusFixtures.backupResult()))
        let run = try #require(RunResultReader.read(job: job, pods: [pod]))
        #expect(!run.succeeded)
        #expect(run.failureCause == "NoResult")
    }

    @Test func givenACheckJob_whenRead_thenItIsACheckAndNotABackup() throws {
        let job = try StatusFixtures.succeededJob(name: "orders-check-29920912", kind: .check)
        let result = WorkerResult(command: "check", ok: true, check: .init(walHealthy: true, message: "WAL current"))
        let run = try #require(RunResultReader.read(job: job, pods: [StatusFixtures.succeededPod(of: job, message: StatusFixtures.message(result))]))
        #expect(run.isCheck)
        #expect(run.backupKind == nil)
        #expect(run.recentRun == nil)
        #expect(run.result?.check?.walHealthy == true)
    }

    @Test(arguments: [(10.0, true), (59.0, true), (61.0, false)])
    func givenAJobSeenFinishedBeforeItsPod_whenReadSecondsLater_thenItWaitsForThePodWithinTheGracePeriod(secondsLater: Double, waits: Bool) throws {
        let job = try StatusFixtures.failedJob()
        let finished = try #require(RunResultReader.finishTime(job))
        let (runs, waiting) = RunResultReader.readAll(jobs: [job], pods: [], now: finished.addingTimeInterval(secondsLater))
        #expect(waiting == waits)
        #expect(runs.count == (waits ? 0 : 1))
        // With its Pod in the cache the run is read at once.
        let withPod = try RunResultReader.readAll(jobs: [job], pods: [StatusFixtures.failedPod(of: job, message: "disk full\n")], now: finished.addingTimeInterval(1))
        #expect(!withPod.waitingForPods)
        #expect(withPod.runs.first?.message.contains("disk full") == true)
    }
}
