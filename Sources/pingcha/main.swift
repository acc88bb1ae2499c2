import Foundation
import PingchaCLI

exit(Pingcha.run(Array(CommandLine.arguments.dropFirst())))
