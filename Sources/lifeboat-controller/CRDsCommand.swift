import ArgumentParser
import Foundation
import LifeboatController

/// `lifeboat-controller crds`: writes the CustomResourceDefinitions generated from the Swift types.
struct CRDsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crds",
        abstract: "Write the CRDs generated from the API types (the committed copies in CRDs/ and Helm/ must match; a test checks).")

    @Option(name: .long, help: "Folder to write into; `-` prints to stdout.")
    var output: String = "CRDs"

    func run() throws {
        if output == "-" {
            for file in CRDGenerator.files() { print("---\n" + file.contents, terminator: "") }
            return
        }
        for url in try CRDGenerator.write(to: URL(fileURLWithPath: output)) { print("wrote \(url.path)") }
    }
}
