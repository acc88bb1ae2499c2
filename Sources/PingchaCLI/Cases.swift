import ArgumentParser

extension Pingcha {
    /// `pingcha cases …`: the case-file review (案卷评查).
    struct Cases: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cases",
            abstract: "案卷评查 / Case-file review.",
            subcommands: [PassRate.self, Audit.self])
    }
}
