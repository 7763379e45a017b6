import ArgumentParser
import Foundation
import FrameCryptCore
import FrameCryptKit

extension FrameCrypt {
    /// Runs the command line as `main()` does, then makes sure what went to standard output got
    /// there: a report written into a full disk or device fails with 74 instead of being lost.
    package static func mainCheckingOutput() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
        // fflush(nil) flushes every output stream, standard output among them; a write that failed
        // earlier left its bytes in the buffer, so this fails again.
        guard fflush(nil) == 0 else {
            printError("error: standard output: cannot be written: \(String(cString: strerror(errno)))")
            Foundation.exit(ExitStatus.writeFailure)
        }
    }
}
