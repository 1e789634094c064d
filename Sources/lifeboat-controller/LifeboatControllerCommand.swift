import ArgumentParser

@main
struct LifeboatControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeboat-controller",
        abstract: "The Lifeboat operator: reconciles BackupPolicy resources into CronJobs running the lifeboat worker, and reports their outcome.",
        subcommands: [RunCommand.self, CRDsCommand.self],
        defaultSubcommand: RunCommand.self)
}
